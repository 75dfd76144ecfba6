/* Placeholder: being implemented. */
typedef int marl_placeholder_lib_policy_policy_csv_c;
