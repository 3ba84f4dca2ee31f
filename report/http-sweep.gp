# http-sweep.gp: open-loop rate sweep: p99 latency against the offered request rate,
# one line per target; the knee is where a target stops keeping up.
# Set by the driver: datafile, chart_title, ntargets, titles[], colors[].
# Data: one block per target: offered_rate achieved_per_s p99_ms
reset
set title chart_title
set xlabel 'offered rate (requests/s)'
set ylabel 'p99 latency (ms, log scale)'
set logscale y
set format y '%g'
set grid xtics ytics mytics lc rgb '#dddddd'
set border 3
set xtics nomirror
set ytics nomirror
set key top left
plot for [i=1:ntargets] datafile index (i-1) using 1:3 with linespoints lw 2 pt 7 ps 0.8 lc rgb colors[i] title titles[i]
