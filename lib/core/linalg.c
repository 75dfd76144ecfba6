/* Placeholder: being implemented. */
typedef int marl_placeholder_lib_core_linalg_c;
