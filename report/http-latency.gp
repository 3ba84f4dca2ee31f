# http-latency.gp: latency percentile spectrum per target (from the load histogram).
# x is 1/(1 - quantile) on a log axis, so 90%, 99%, 99.9% are a decade apart.
# Set by the driver: datafile, chart_title, ntargets, titles[], colors[].
# Data: one block per target: one_over_one_minus_quantile latency_ms
reset
set title chart_title
set xlabel 'percentile'
set ylabel 'latency (ms, log scale)'
set logscale xy
set format y '%g'
set xtics ('50%%' 2, '90%%' 10, '99%%' 100, '99.9%%' 1000, '99.99%%' 10000, '99.999%%' 100000) nomirror
set ytics nomirror
set border 3
set grid xtics ytics mytics lc rgb '#dddddd'
set key top left
set xrange [1:*]
plot for [i=1:ntargets] datafile index (i-1) using 1:2 with steps lw 2 lc rgb colors[i] title titles[i]
