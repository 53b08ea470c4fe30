#!/usr/bin/env bash
# The Debian/Ubuntu packages the tests need, installed when missing; one list for `.ci/run` and the PR
# workflow. Mono runs the local gateway runtime (docs/gateway-local.md) with the real Newtonsoft.Json,
# mcs compiles the policy expressions (docs/gateway.md), jq and curl serve tools/ci/federated-token.sh,
# which test/delivery/delivery-contract.test.ts runs against a local server.
set -euo pipefail

packages=()
command -v mono >/dev/null 2>&1 || packages+=(mono-runtime)
command -v mcs >/dev/null 2>&1 || packages+=(mono-mcs)
[ -f /usr/lib/cli/Newtonsoft.Json-5.0/Newtonsoft.Json.dll ] || packages+=(libnewtonsoft-json5.0-cil)
command -v jq >/dev/null 2>&1 || packages+=(jq)
command -v curl >/dev/null 2>&1 || packages+=(curl)

if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${packages[@]}"
