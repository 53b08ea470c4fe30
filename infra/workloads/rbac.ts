/** Built-in role this component grants (the same GUID in every tenant). */
export const ACR_PULL_ROLE_ID = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
