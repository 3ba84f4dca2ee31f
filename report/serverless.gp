# serverless.gp: what one request costs per target when each gets a fresh instance:
# clustered bars of the time until the instance could run (instantiate), the instance's
# whole life, and the request's latency at the client (wrk, median round), medians, on
# a log scale: Docker's hundreds of milliseconds and the engine's microseconds both read.
# Set by the driver: datafile, chart_title.
# Data columns: target instantiate_ms instance_ms latency_p50_ms
reset
set title chart_title
set ylabel 'per request (ms, log scale)'
set logscale y
set format y '%g'
set grid ytics mytics lc rgb '#dddddd'
set border 3
set xtics nomirror
set ytics nomirror
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border rgb '#333333'
set boxwidth 0.9
set key top left
value_label(v) = v >= 1 ? sprintf('%.3g ms', v) : sprintf('%.3g us', v * 1000)
plot datafile using 2:xtic(1) title 'instantiate (p50)' lc rgb '#17becf', \
     '' using 3 title 'instance, whole life (p50)' lc rgb '#ff7f0e', \
     '' using 4 title 'latency at the client (p50)' lc rgb '#7f7f7f', \
     '' using ($0 - 0.27):2:(value_label($2)) with labels offset 0,0.7 font ',8' notitle, \
     '' using ($0):3:(value_label($3)) with labels offset 0,0.7 font ',8' notitle, \
     '' using ($0 + 0.27):4:(value_label($4)) with labels offset 0,0.7 font ',8' notitle
