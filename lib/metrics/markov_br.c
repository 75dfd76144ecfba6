/* Placeholder: being implemented. */
typedef int marl_placeholder_lib_metrics_markov_br_c;
