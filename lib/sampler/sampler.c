/* Placeholder: being implemented. */
typedef int marl_placeholder_lib_sampler_sampler_c;
