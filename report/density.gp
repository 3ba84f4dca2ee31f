# density.gp: memory of N idle instances against N, one line per target (PSS summed over
# the instances' process trees), with the fitted line dashed. Log scale: a Docker
# container costs ~40x a native process, both must stay readable.
# Set by the driver: datafile, chart_title, ntargets, titles[], colors[], slopes[] and
# intercepts[] (KiB; undefined where a target has no fit).
# Data: one block per target: n pss_mib memavailable_drop_mib
reset
set title chart_title
set xlabel 'idle instances'
set ylabel 'PSS of all instances (MiB, log scale)'
set logscale y
set format y '%g'
set grid xtics ytics mytics lc rgb '#dddddd'
set border 3
set xtics nomirror
set ytics nomirror
set key top left
set xrange [0:*]
plot for [i=1:ntargets] datafile index (i-1) using 1:2 with linespoints lw 2 pt 7 ps 0.8 lc rgb colors[i] title titles[i], \
     for [i=1:ntargets] (slopes[i] * x + intercepts[i]) / 1024 with lines dt 2 lw 1 lc rgb colors[i] notitle
