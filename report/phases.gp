# phases.gp: where a target's time goes, phase by phase, stacked as shares of the sum of
# the phase medians, with that sum on top. Wasm targets record load (decode, validate,
# compile), instantiate and execute; Docker records its Engine API calls.
# Set by the driver: datafile, chart_title, nphases, phase_titles[], phase_colors[].
# Data columns: target, the median of each phase (ms), their sum (ms).
reset
set title chart_title
set ylabel 'share of the sum of phase medians (%)'
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
share(c) = column(nphases + 2) > 0 ? 100 * column(c + 1) / column(nphases + 2) : 0
plot for [c=1:nphases] datafile using (share(c)):xtic(1) title phase_titles[c] lc rgb phase_colors[c], \
     '' using 0:(104):(sprintf('%.3g ms', column(nphases + 2))) with labels notitle font ',9'
