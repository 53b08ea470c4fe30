import { privateDnsZoneSpecs } from "../../infra/network/dns-zones";

describe("private DNS zones", () => {
  const classic = privateDnsZoneSpecs({
    location: "westeurope",
    gatewaySku: "Premium",
    apimServiceName: "apim-x-prod-weu-abcde",
    managedHsm: false,
  });

  test("cover every private endpoint the deployment uses, with Azure's documented zone names", () => {
    const byKey = Object.fromEntries(classic.map((zone) => [zone.key, zone.zoneName]));
    expect(byKey).toEqual({
      keyVault: "privatelink.vaultcore.azure.net",
      apim: "apim-x-prod-weu-abcde.azure-api.net",
      monitor: "privatelink.monitor.azure.com",
      monitorOms: "privatelink.oms.opinsights.azure.com",
      monitorOds: "privatelink.ods.opinsights.azure.com",
      monitorAgentService: "privatelink.agentsvc.azure-automation.net",
      blob: "privatelink.blob.core.windows.net",
      cognitiveServices: "privatelink.cognitiveservices.azure.com",
      containerRegistry: "privatelink.azurecr.io",
      containerApps: "privatelink.westeurope.azurecontainerapps.io",
    });
  });

  test("keys and zone names are unique", () => {
    expect(new Set(classic.map((zone) => zone.key)).size).toBe(classic.length);
    expect(new Set(classic.map((zone) => zone.zoneName)).size).toBe(classic.length);
  });

  test("internal-mode API Management gets a zone for its own domain only; v2 gets the private-link zone", () => {
    expect(classic.find((zone) => zone.key === "apim")).toEqual(
      expect.objectContaining({ zoneName: "apim-x-prod-weu-abcde.azure-api.net" }),
    );
    expect(classic.find((zone) => zone.key === "apim")?.groupId).toBeUndefined();
    const v2 = privateDnsZoneSpecs({
      location: "westeurope",
      gatewaySku: "StandardV2",
      apimServiceName: "apim-x",
      managedHsm: false,
    });
    expect(v2.find((zone) => zone.key === "apim")).toEqual(
      expect.objectContaining({ zoneName: "privatelink.azure-api.net", groupId: "Gateway" }),
    );
  });

  test("the Managed HSM zone exists only when the HSM does", () => {
    expect(classic.some((zone) => zone.key === "managedHsm")).toBe(false);
    const hsm = privateDnsZoneSpecs({
      location: "westeurope",
      gatewaySku: "Premium",
      apimServiceName: "a",
      managedHsm: true,
    });
    expect(hsm.find((zone) => zone.key === "managedHsm")?.zoneName).toBe("privatelink.managedhsm.azure.net");
  });
});
