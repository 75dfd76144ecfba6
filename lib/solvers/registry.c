/* Placeholder: being implemented. */
typedef int marl_placeholder_lib_solvers_registry_c;
