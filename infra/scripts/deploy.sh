#!/usr/bin/env bash
# PortCustoms delivery steps, shared by .github/workflows/deploy.yml and an operator at a shell (az login first).
#
#   infra/scripts/deploy.sh what-if <env> <resource-group>
#   infra/scripts/deploy.sh infra   <env> <resource-group>
#   infra/scripts/deploy.sh code    <env> <resource-group> <package.zip>
#   infra/scripts/deploy.sh smoke   <env> <resource-group>
#   infra/scripts/deploy.sh events  <env> <resource-group>
#   infra/scripts/deploy.sh on-main <env> <resource-group> <commit>
#
# <env> is dev or prod and selects infra/bicep/<env>.bicepparam. The resource group must exist (docs/deploy.md).
#
# Why "events" is separate: the Event Grid subscription that feeds the blob trigger points at the Functions blob
# extension webhook, whose key (blobs_extension) only exists once the app's code runs, and Event Grid validates the
# endpoint when the subscription is created. So on the first deployment "infra" runs with
# deployBlobEventSubscription=false, then "code", then "events" deploys the template again with true. Later
# deployments see the function already there and keep the subscription in the one "infra" pass.
#
# "on-main" refuses (exit 3) a prod deployment of a commit that is not on origin/main: prod ships from main only,
# whatever branch a manual run was started from.
#
# "what-if", "infra" and "events" refuse (exit 4) prod without a caller identity: neither PORTCUSTOMS_ENTRA_CLIENT_ID
# (the API's Entra app registration) nor PORTCUSTOMS_CUSTOMS_CALLER_THUMBPRINTS (customs' client certificates) set.
# The parameter files read both from the environment (the GitHub environment's variables); without either, a function
# key alone would stand between a terminal and a customs release.
set -euo pipefail

command=${1:?usage: deploy.sh <what-if|infra|code|smoke|events|on-main> <env> <resource-group> [package.zip]}
environment=${2:?environment (dev or prod)}
resource_group=${3:?resource group}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
parameters="$root/infra/bicep/$environment.bicepparam"
deployment="portcustoms-$environment"
trigger_function=BatchDropTrigger

[[ -f $parameters ]] || { echo "no parameter file $parameters" >&2; exit 2; }

output() { # name value: a step output in GitHub Actions, a line on stdout elsewhere
  echo "$1=$2"
  if [[ -n ${GITHUB_OUTPUT:-} ]]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi
}

app_name() {
  az functionapp list -g "$resource_group" --query "[?tags.\"azd-service-name\"=='api'] | [0].name" -o tsv 2>/dev/null || true
}

# true when the app exists and its blob trigger is deployed (so the webhook can answer Event Grid's validation)
blob_trigger_deployed() {
  local app
  app=$(app_name)
  if [[ -n $app ]] && az functionapp function show -g "$resource_group" -n "$app" --function-name "$trigger_function" -o none 2>/dev/null; then
    echo true
  else
    echo false
  fi
}

deployment_output() {
  az deployment group show -g "$resource_group" -n "$deployment" --query "properties.outputs.$1.value" -o tsv
}

require_caller_identity() {
  if [[ $environment == prod && -z ${PORTCUSTOMS_ENTRA_CLIENT_ID:-} && -z ${PORTCUSTOMS_CUSTOMS_CALLER_THUMBPRINTS:-} ]]; then
    echo "refusing to deploy prod without caller identity: set PORTCUSTOMS_ENTRA_CLIENT_ID and/or PORTCUSTOMS_CUSTOMS_CALLER_THUMBPRINTS (docs/deploy.md)" >&2
    exit 4
  fi
}

case $command in
  what-if | infra | events) require_caller_identity ;;
esac

case $command in
  on-main)
    commit=${4:?commit}
    if [[ $environment == prod ]]; then
      git -C "$root" fetch --quiet origin main
      git -C "$root" merge-base --is-ancestor "$commit" origin/main ||
        { echo "refusing to deploy $commit to prod: it is not on main" >&2; exit 3; }
    fi
    echo "$commit may deploy to $environment"
    ;;
  what-if)
    events=$(blob_trigger_deployed)
    az deployment group what-if -g "$resource_group" -n "$deployment" \
      --parameters "$parameters" --parameters deployBlobEventSubscription="$events" \
      --exclude-change-types NoChange Ignore
    ;;
  infra)
    events=$(blob_trigger_deployed)
    az deployment group create -g "$resource_group" -n "$deployment" \
      --parameters "$parameters" --parameters deployBlobEventSubscription="$events" \
      -o none
    output blob_events "$events"
    output app_name "$(deployment_output functionAppName)"
    output health_url "$(deployment_output healthUrl)"
    ;;
  code)
    package=${4:?package.zip}
    app=$(deployment_output functionAppName)
    # Flex Consumption: the CLI uploads the package to the deployment container (one deploy); no remote build.
    az functionapp deployment source config-zip -g "$resource_group" -n "$app" --src "$package"
    ;;
  smoke)
    url=$(deployment_output healthUrl)
    curl --fail --silent --show-error --retry 12 --retry-delay 10 --retry-all-errors --max-time 30 "$url"
    echo
    ;;
  events)
    app=$(deployment_output functionAppName)
    # The host creates the blobs_extension key when the blob extension starts; wait for it (the smoke test woke the host).
    for attempt in $(seq 1 30); do
      key=$(az functionapp keys list -g "$resource_group" -n "$app" --query "systemKeys.blobs_extension" -o tsv 2>/dev/null || true)
      [[ -n $key ]] && break
      echo "waiting for the blobs_extension key ($attempt/30)"
      sleep 10
    done
    [[ -n ${key:-} ]] || { echo "blobs_extension key not found on $app: is $trigger_function deployed?" >&2; exit 1; }
    az deployment group create -g "$resource_group" -n "$deployment" \
      --parameters "$parameters" --parameters deployBlobEventSubscription=true \
      -o none
    ;;
  *)
    echo "unknown command $command" >&2
    exit 2
    ;;
esac
