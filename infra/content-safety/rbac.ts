/** "Cognitive Services User": call the data plane with an Entra token, nothing on the control plane. */
export const COGNITIVE_SERVICES_USER_ROLE_ID = "a97b65f3-24c7-4388-baec-2e87135dc908";
