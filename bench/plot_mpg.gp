# Figures of the issue 3 benchmarks, drawn from the CSV files that
# bench/mpg_coordination and bench/mpg_distancing write (bench/run_mpg.sh
# calls this script):
#
#   gnuplot -e "dir='OUT'; ns='2 3 5'" bench/plot_mpg.gp
#
# OUT/mpg_coordination_figure1.png   like seed 003's Figure 1: POA (top) and
#     Nash-gap (bottom) against the iteration for N in ns, mean +/- standard
#     error over the seeds (bands). PG solid and PG with the log barrier of
#     the best lambda dashed (same colour), NPG, NPG-BR with the best K
#     (best = highest final mean POA, the seed's rule, read from
#     OUT/coordination/best_N<n>.gp).
# OUT/mpg_coordination_log_barrier.png  PG for every lambda (seed's Fig. 4).
# OUT/mpg_coordination_npgbr_K.png      NPG-BR for every K.
# OUT/mpg_distancing.png                 Nash-gap of every solver on
#     `distancing` against the iteration.
# SPDX-License-Identifier: MIT

if (!exists("dir")) dir = "build/mpg-results"
if (!exists("ns")) ns = "2 3 5"
cdir = dir . "/coordination"
set datafile separator ","
set datafile missing "nan"

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 1500,820 font "sans,10" enhanced
    band = "fs transparent solid 0.18 noborder"
} else {
    set terminal png size 1500,820
    band = "fs solid 0.25 noborder"
}

lambdas = "0.01 0.1 1 10 100"
Ks = "1 5 10 20 50"
file(n, m) = sprintf("%s/coordination_N%s_%s_mean.csv", cdir, n, m)
# mean file columns: 1 iteration, 2 nash_gap_mean, 3 nash_gap_se,
# 4 poa_mean, 5 poa_se
# log-scale floor 1e-10 for the Nash-gap (exact zeros, round-off negatives
# and bands reaching below it are drawn at the floor)
fl(x) = x > 1e-10 ? x : 1e-10
lo(c) = fl(column(c) - column(c+1))
hi(c) = fl(column(c) + column(c+1))
mid(c) = fl(column(c))
have(f) = system(sprintf("test -f '%s' && echo 1 || echo 0", f)) + 0

# best lambda / K per N (defaults if the file is missing)
do for [n in ns] {
    eval sprintf("best_lb_%s = '1'; best_K_%s = '5'", n, n)
    bf = sprintf("%s/best_N%s.gp", cdir, n)
    if (have(bf)) { load bf }
}
best_lb(n) = value(sprintf("best_lb_%s", n))
best_K(n) = value(sprintf("best_K_%s", n))

nn = words(ns)
set grid
set key top right font ",8" samplen 2
set xlabel "iteration"

# ---- Figure 1 -----------------------------------------------------------
set output dir . "/mpg_coordination_figure1.png"
set multiplot layout 2, nn title "coordination (seed 003 Fig. 1): mean +/- s.e. over seeds; dashed = PG with log barrier (best {/Symbol l})"
do for [row = 1:2] {
    do for [k = 1:nn] {
        n = word(ns, k)
        if (row == 1) {
            set ylabel "POA"; unset logscale y; set format y "%g"
            set key bottom right opaque
            c = 4
            set title sprintf("N = %s", n)
        } else {
            set ylabel "Nash-gap"; set logscale y; set format y "10^{%L}"
            unset key  # same colours as the POA row above
            c = 2
            unset title
        }
        lb = best_lb(n); K = best_K(n)
        plot \
          file(n, "pg") using 1:(lo(c)):(hi(c)) \
              with filledcurves @band lc rgb "#1f77b4" notitle, \
          file(n, "pg-lb" . lb) using 1:(lo(c)):(hi(c)) \
              with filledcurves @band lc rgb "#1f77b4" notitle, \
          file(n, "npg") using 1:(lo(c)):(hi(c)) \
              with filledcurves @band lc rgb "#d62728" notitle, \
          file(n, "npgbr-K" . K) using 1:(lo(c)):(hi(c)) \
              with filledcurves @band lc rgb "#2ca02c" notitle, \
          file(n, "pg") using 1:(mid(c)) with lines lw 2 lc rgb "#1f77b4" title "PG", \
          file(n, "pg-lb" . lb) using 1:(mid(c)) with lines lw 2 dt 2 lc rgb "#1f77b4" \
              title sprintf("PG, log barrier {/Symbol l}=%s", lb), \
          file(n, "npg") using 1:(mid(c)) with lines lw 2 lc rgb "#d62728" title "NPG", \
          file(n, "npgbr-K" . K) using 1:(mid(c)) with lines lw 2 lc rgb "#2ca02c" \
              title sprintf("NPG-BR, K=%s", K)
    }
}
unset multiplot
unset logscale y

# ---- one family, every setting ------------------------------------------
array colours[5] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd"]

set output dir . "/mpg_coordination_log_barrier.png"
set multiplot layout 2, nn title "coordination: PG with log barrier {/Symbol l} (seed 003 Fig. 4); solid black = no barrier"
do for [row = 1:2] {
    do for [k = 1:nn] {
        n = word(ns, k)
        if (row == 1) { set ylabel "POA"; unset logscale y; set format y "%g"; set key bottom right noopaque; c = 4; set title sprintf("N = %s", n) }
        else { set ylabel "Nash-gap"; set logscale y; set format y "10^{%L}"; unset key; c = 2; unset title }
        plot for [j = 1:5] file(n, "pg-lb" . word(lambdas, j)) \
                 using 1:(lo(c)):(hi(c)) \
                 with filledcurves @band lc rgb colours[j] notitle, \
             for [j = 1:5] file(n, "pg-lb" . word(lambdas, j)) using 1:(mid(c)) \
                 with lines lw 2 lc rgb colours[j] title "{/Symbol l}=" . word(lambdas, j), \
             file(n, "pg") using 1:(mid(c)) with lines lw 1 lc rgb "black" title "PG"
    }
}
unset multiplot
unset logscale y

set output dir . "/mpg_coordination_npgbr_K.png"
set multiplot layout 2, nn title "coordination: NPG-BR for each K (inner soft policy iteration steps)"
do for [row = 1:2] {
    do for [k = 1:nn] {
        n = word(ns, k)
        if (row == 1) { set ylabel "POA"; unset logscale y; set format y "%g"; set key bottom right noopaque; c = 4; set title sprintf("N = %s", n) }
        else { set ylabel "Nash-gap"; set logscale y; set format y "10^{%L}"; unset key; c = 2; unset title }
        plot for [j = 1:5] file(n, "npgbr-K" . word(Ks, j)) \
                 using 1:(lo(c)):(hi(c)) \
                 with filledcurves @band lc rgb colours[j] notitle, \
             for [j = 1:5] file(n, "npgbr-K" . word(Ks, j)) using 1:(mid(c)) \
                 with lines lw 2 lc rgb colours[j] title "K=" . word(Ks, j)
    }
}
unset multiplot
unset logscale y
unset title

# ---- distancing ---------------------------------------------------------
solvers = "mpg-softmax-pg mpg-npg mpg-npg-br mpg-projected-pg mpg-q-ascent mpg-optimistic-q-ascent mpg-q-ascent-sampled"
array scol[7] = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#17becf"]
set terminal push
if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
    set terminal pngcairo size 900,560 font "sans,10" enhanced
} else {
    set terminal png size 900,560
}
set output dir . "/mpg_distancing.png"
set key
set datafile columnheaders
set title "distancing (N = 8, 4^8 joint actions): exact Nash-gap, solver defaults and tuned softmax PG"
set ylabel "Nash-gap"
set logscale y
set format y "10^{%L}"
set key top right font ",9" opaque
dfile(s) = sprintf("%s/distancing/distancing_%s.csv", dir, s)
set logscale x
set xlabel "iteration (log scale; Nash-gaps below 1e-10, exact zeros included, drawn at 1e-10)"
tfile = sprintf("%s/distancing/distancing_mpg-softmax-pg_tuned.csv", dir)
plot for [j = 1:7] dfile(word(solvers, j)) using (column("iteration")):(fl(column("nash_gap"))) \
         with linespoints lw 2 pt 7 ps 0.5 lc rgb scol[j] title word(solvers, j), \
     tfile every 10 using (column("iteration")):(fl(column("nash_gap"))) \
         with lines lw 2 dt 2 lc rgb scol[1] title "mpg-softmax-pg eta=0.01 init=normal", \
     1e-3 with lines dt 3 lc rgb "gray" title "10^{-3}"
unset output
