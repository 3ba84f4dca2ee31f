# density-per-instance.gp: memory per idle instance against the instance count (both
# PSS and the MemAvailable drop, divided by N), log x, so the fixed cost of the first
# instances and the marginal cost at 50,000 read on one chart. A dotted vertical line
# marks, per target, the first instance the engine gave explicit bounds checks instead
# of a guard reservation (wasmrt's default mode past its limit).
# Set by the driver: datafile, chart_title, ntargets, titles[], colors[], explicit_from[]
# (NaN where a target has no such instance).
# Data: one block per target: n pss_kib_per_instance memavailable_drop_kib_per_instance
reset
set title chart_title
set xlabel 'idle instances (log scale)'
set ylabel 'KiB per instance (log scale)'
set logscale xy
set format x '%g'
set format y '%g'
set grid xtics ytics mytics lc rgb '#dddddd'
set border 3
set xtics nomirror
set ytics nomirror
set key top right
do for [i=1:ntargets] {
    if (explicit_from[i] == explicit_from[i]) {
        set arrow from explicit_from[i], graph 0 to explicit_from[i], graph 1 nohead dt 3 lw 1.5 lc rgb colors[i]
    }
}
plot for [i=1:ntargets] datafile index (i-1) using 1:2 with linespoints lw 2 pt 7 ps 0.8 lc rgb colors[i] title titles[i].' (PSS)', \
     for [i=1:ntargets] datafile index (i-1) using 1:($3 > 0 ? $3 : NaN) with linespoints lw 1 dt 2 pt 6 ps 0.6 lc rgb colors[i] title titles[i].' (MemAvailable drop)'
