/* Placeholder: being implemented. */
typedef int marl_placeholder_lib_core_rng_dist_c;
