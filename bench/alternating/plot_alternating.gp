# Figures of bench/alternating/run_alternating.sh (seed 004 Figure 6):
# reward and runtime against k, libmarlgame next to the public reference
# implementation (BENCHMARKS.md). Usage: gnuplot -e "dir='OUT'" plot_alternating.gp
# SPDX-License-Identifier: MIT
if (!exists("dir")) dir = "."
csvf = dir . "/alternating_warehouse.csv"
big = dir . "/alternating_big.csv"
have_big = system("test -s " . big . " && echo 1 || echo 0") + 0
set datafile separator ","
set key autotitle columnhead
set terminal pngcairo size 1200,600 noenhanced
set grid

set output dir . "/alternating_reward.png"
set title "warehouse (n = 1000): cumulative discounted reward vs k (mean +- std of seed means)"
set xlabel "k (sampled local agents)"
set ylabel "reward"
set key outside right top
if (have_big) {
plot csvf using 1:9:10 with yerrorlines lw 2 pt 7 lc 1 title "libmarlgame (model: locals move with s_g(t))", \
     big using 1:9:10 with yerrorbars lw 2 pt 7 lc 1 notitle, \
     csvf using 1:24:25 with yerrorlines lw 2 pt 9 lc 3 title "libmarlgame, reference's evaluation (s_g(t+1))", \
     big using 1:24:25 with yerrorbars lw 2 pt 9 lc 3 notitle, \
     csvf using 1:21:22 with yerrorlines lw 2 pt 5 dt 2 lc 2 title "reference (Python)", \
     big using 1:21:22 with yerrorbars lw 2 pt 5 lc 2 notitle
} else {
plot csvf using 1:9:10 with yerrorlines lw 2 pt 7 lc 1 title "libmarlgame (model: locals move with s_g(t))", \
     csvf using 1:24:25 with yerrorlines lw 2 pt 9 lc 3 title "libmarlgame, reference's evaluation (s_g(t+1))", \
     csvf using 1:21:22 with yerrorlines lw 2 pt 5 dt 2 lc 2 title "reference (Python)"
}

set output dir . "/alternating_runtime.png"
set title "warehouse (n = 1000): runtime vs k"
set ylabel "seconds (log scale)"
set logscale y
set format y "%g"
set key outside right top
plot csvf using 1:3 with linespoints lw 2 pt 7 lc 1 title "G-LEARN per call (100 sweeps), wall", \
     csvf using 1:4 with linespoints lw 1 pt 6 lc 1 title "G-LEARN per call, CPU", \
     csvf using 1:6 with linespoints lw 2 pt 7 lc 2 title "training (5 iterations), wall", \
     csvf using 1:7 with linespoints lw 1 pt 6 lc 2 title "training, CPU", \
     csvf using 1:8 with linespoints lw 2 pt 7 lc 3 title "evaluation (15 x 50 x 50), wall", \
     csvf using 1:23 with linespoints lw 1 pt 6 lc 3 title "evaluation, CPU", \
     csvf using 1:17 with linespoints lw 2 pt 5 dt 2 lc 1 title "reference G-LEARN per call", \
     csvf using 1:19 with linespoints lw 2 pt 5 dt 2 lc 2 title "reference training", \
     csvf using 1:20 with linespoints lw 2 pt 5 dt 2 lc 3 title "reference evaluation"
