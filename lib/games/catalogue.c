/* Placeholder: being implemented. */
typedef int marl_placeholder_lib_games_catalogue_c;
