/* Placeholder: being implemented. */
typedef int marl_placeholder_lib_solvers_markov_best_response_c;
