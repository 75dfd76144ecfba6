/* Placeholder: being implemented. */
typedef int marl_placeholder_lib_game_markov_c;
