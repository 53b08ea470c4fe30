#!/usr/bin/env bash
# Keeps a fresh GitHub Actions OIDC token (audience api://AzureADTokenExchange) in a file for the whole job,
# and exports AZURE_FEDERATED_TOKEN_FILE (plus AZURE_CLIENT_ID/AZURE_TENANT_ID from ARM_*) to later steps.
#
# Why: the Pulumi CLI's azblob state backend and azurekeyvault secrets provider authenticate with the Azure
# SDK's DefaultAzureCredential, whose WorkloadIdentityCredential re-reads this file whenever it needs a new
# Entra token. An `az login --federated-token` session cannot renew itself once the GitHub token inside it
# has expired (Azure/azure-cli#28708), so a `pulumi up` longer than the first Entra token (about an hour)
# would lose its state backend halfway. The azure-native and azuread providers renew on their own
# (ARM_USE_OIDC with the runner's ACTIONS_ID_TOKEN_REQUEST_* variables). docs/delivery.md, "Credentials".
#
# Usage: federated-token.sh <token file> [refresh seconds, default 240]
# Needs `permissions: id-token: write`; the background refresher ends with the job.
set -euo pipefail

file="${1:?usage: federated-token.sh <token file> [refresh seconds]}"
interval="${2:-240}"
: "${ACTIONS_ID_TOKEN_REQUEST_URL:?is not set: the job needs permissions id-token: write}"
: "${ACTIONS_ID_TOKEN_REQUEST_TOKEN:?is not set: the job needs permissions id-token: write}"
: "${ARM_CLIENT_ID:?is not set (the environment variable AZURE_CLIENT_ID)}"
: "${ARM_TENANT_ID:?is not set (the environment variable AZURE_TENANT_ID)}"
case "$interval" in '' | *[!0-9]*) echo "refresh seconds must be a whole number (got '$interval')" >&2; exit 2 ;; esac

export FEDERATED_TOKEN_FILE="$file"
fetch() {
  local token
  # The request URL already carries ?api-version=...; the token itself is never printed.
  token="$(curl -fsS --retry 3 -H "Authorization: bearer ${ACTIONS_ID_TOKEN_REQUEST_TOKEN}" \
    "${ACTIONS_ID_TOKEN_REQUEST_URL}&audience=api://AzureADTokenExchange" | jq -er .value)" || return 1
  printf '%s' "$token" >"$FEDERATED_TOKEN_FILE.next" && mv -f "$FEDERATED_TOKEN_FILE.next" "$FEDERATED_TOKEN_FILE"
}

umask 077
mkdir -p "$(dirname "$file")"
fetch || { echo "could not fetch a GitHub OIDC token from ACTIONS_ID_TOKEN_REQUEST_URL" >&2; exit 1; }

if [ -n "${GITHUB_ENV:-}" ]; then
  {
    echo "AZURE_FEDERATED_TOKEN_FILE=$file"
    echo "AZURE_CLIENT_ID=$ARM_CLIENT_ID"
    echo "AZURE_TENANT_ID=$ARM_TENANT_ID"
  } >>"$GITHUB_ENV"
fi

# Refresh well inside the token's lifetime; a failed refresh keeps the previous token and tries again.
nohup bash -c "$(declare -f fetch); while sleep $interval; do fetch || true; done" >/dev/null 2>&1 &
echo "federated token refresher running (pid $!, every ${interval}s)"
