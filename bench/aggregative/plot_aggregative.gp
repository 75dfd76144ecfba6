# Aggre-BI on `routing`: exact Nash-gap and wall time against n, one line per
# (d, alpha, backend); skipped configurations are not drawn. Usage:
#   gnuplot -e "csv='OUT/aggregative_routing.csv'; png='OUT/aggregative_routing.png'" \
#       bench/aggregative/plot_aggregative.gp
# SPDX-License-Identifier: MIT
set datafile separator ','
set terminal pngcairo size 1200,500 noenhanced
set output png
set multiplot layout 1,2 title 'Aggre-BI on routing (H = 6, |S| = 3)'
set logscale x
set xlabel 'agents n'
set key left top font ',8'
ds = "1 1 1 1 2 2 3 3"
as = "0.1 0.1 0.05 0.05 0.1 0.05 0.1 0.05"
ls = "structured lp_solve structured lp_solve lp_solve lp_solve lp_solve lp_solve"
sel(d, a, lp, col) = (strcol(6) eq '0' && $3 == d && abs($4 - a) < 1e-9 && strcol(5) eq lp) ? column(col) : 1/0
set ylabel 'exact Nash-gap'
plot for [k=1:8] csv skip 1 using 1:(sel(real(word(ds, k)), real(word(as, k)), word(ls, k), 11)) \
     with linespoints title sprintf('d=%s alpha=%s %s', word(ds, k), word(as, k), word(ls, k))
set logscale y
set ylabel 'seconds (median wall)'
plot for [k=1:8] csv skip 1 using 1:(sel(real(word(ds, k)), real(word(as, k)), word(ls, k), 7)) \
     with linespoints title sprintf('d=%s alpha=%s %s', word(ds, k), word(as, k), word(ls, k))
unset multiplot
