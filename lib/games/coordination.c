/* Placeholder: being implemented. */
typedef int marl_placeholder_lib_games_coordination_c;
