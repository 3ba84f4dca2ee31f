# phases.gp: where a Wasm target's time goes: load (decode, validate, compile),
# instantiate and execute, stacked as shares of the total, with the total on top.
# Set by the driver: datafile, chart_title.
# Data columns: target load_ms instantiate_ms execute_ms
reset
set title chart_title
set ylabel 'share of the median total (%)'
set yrange [0:115]
set ytics 0,20,100 nomirror
set xtics nomirror
set border 3
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border rgb '#333333'
set boxwidth 0.6
set key outside right top
set grid ytics lc rgb '#dddddd'
total(a, b, c) = (a + b + c) > 0 ? (a + b + c) : 1
plot datafile using (100 * $2 / total($2, $3, $4)):xtic(1) title 'load + validate + compile' lc rgb '#9467bd', \
     '' using (100 * $3 / total($2, $3, $4)) title 'instantiate' lc rgb '#17becf', \
     '' using (100 * $4 / total($2, $3, $4)) title 'execute' lc rgb '#ff7f0e', \
     '' using 0:(104):(sprintf('%.3g ms', $2 + $3 + $4)) with labels notitle font ',9'
