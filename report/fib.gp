# fib.gp: Fibonacci compute. Left: wall time per target (median, 95% CI, log scale).
# Right: the ratio of each target's median to the baseline's, with its bootstrap CI.
# Set by the driver: datafile, chart_title, y_label, baseline.
# Data columns: target median_ms ci_low_ms ci_high_ms color ratio ratio_low ratio_high
reset
set multiplot layout 1,2 title chart_title
set style fill solid 0.85 border rgb '#333333'
set boxwidth 0.6
set xtics rotate by -25 left nomirror
set ytics nomirror
set border 3
set key off
set offsets 0.5, 0.5, 0, 0
set bmargin 6
set grid ytics mytics lc rgb '#dddddd'
set logscale y
set format y '%g'
value_label(v) = v >= 1000 ? sprintf('%.0f', v) : sprintf('%.3g', v)
set title 'wall time (ms, log scale)'
plot datafile using 0:2:5:xtic(1) with boxes lc rgb variable, \
     '' using 0:3:(0):($4 - $3) with vectors heads size screen 0.008,90 lc rgb '#000000' lw 1.5, \
     '' using 0:4:(value_label($2)) with labels offset 0,0.7 font ',9'
set title sprintf('ratio to %s (1 = as fast)', baseline)
plot datafile using 0:6:5:xtic(1) with boxes lc rgb variable, \
     '' using 0:7:(0):($8 - $7) with vectors heads size screen 0.008,90 lc rgb '#000000' lw 1.5, \
     '' using 0:8:(sprintf('%.2fx', $6)) with labels offset 0,0.7 font ',9', \
     1 with lines dt 2 lc rgb '#555555'
unset multiplot
