# bars.gp: one bar per target on a log scale, with 95% confidence-interval whiskers.
# Used for cold start (wall time), idle instances per GiB and HTTP requests/s.
# Set by the driver wasmvs report writes: datafile, chart_title, y_label, baseline.
# Data columns: target median ci_low ci_high color(0xRRGGBB) [...]
reset
value_label(v) = v >= 1000 ? sprintf('%.0f', v) : sprintf('%.3g', v)
set title chart_title
set ylabel y_label
set logscale y
set grid ytics mytics lc rgb '#dddddd'
set style fill solid 0.85 border rgb '#333333'
set boxwidth 0.6
set xtics rotate by -25 left nomirror
set ytics nomirror
set border 3
set key off
set offsets 0.5, 0.5, 0, 0
set bmargin 6
set format y '%g'
plot datafile using 0:2:5:xtic(1) with boxes lc rgb variable, \
     '' using 0:3:(0):($4 - $3) with vectors heads size screen 0.008,90 lc rgb '#000000' lw 1.5, \
     '' using 0:4:(value_label($2)) with labels offset 0,0.7 font ',9'
