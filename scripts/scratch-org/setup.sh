#!/usr/bin/env bash
# Creates a Cosell Stages scratch org: deploys force-app, assigns the permission sets,
# loads the sample deals and creates a partner user per sample partner account.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PROJECT_DIR="$(cd "$SCRIPT_DIR/../.." && pwd)"

DEV_HUB=""
ORG_ALIAS="cosell-scratch"
DURATION_DAYS=7
# Deploy status is polled every POLL_SECONDS, at most DEPLOY_POLLS times (30 minutes).
POLL_SECONDS=10
DEPLOY_POLLS=180

usage() {
  cat <<EOF
Usage: scripts/scratch-org/setup.sh -v DEV_HUB_ALIAS [-a ORG_ALIAS] [-d DAYS]

Creates a scratch org from config/project-scratch-def.json, deploys force-app,
assigns the co-sell permission sets to the admin, loads the sample data in
scripts/scratch-org/data and creates one partner user per sample partner account.

  -v DEV_HUB_ALIAS  alias or username of an authorized Dev Hub (required)
  -a ORG_ALIAS      alias for the new scratch org (default: $ORG_ALIAS)
  -d DAYS           days before the scratch org expires, 1 to 30 (default: $DURATION_DAYS)
  -h                show this help

Needs the sf CLI and node on PATH.
EOF
}

fail() {
  echo "setup.sh: $*" >&2
  exit 1
}

step() {
  echo "==> $*"
}

# Prints the value at a dotted path (such as result.id) of the JSON on stdin.
json_value() {
  node -e '
    let text = "";
    process.stdin.on("data", (chunk) => (text += chunk));
    process.stdin.on("end", () => {
      const value = process.argv[1]
        .split(".")
        .reduce((node, key) => (node == null ? undefined : node[key]), JSON.parse(text));
      if (value === undefined || value === null) process.exit(1);
      console.log(value);
    });
  ' "$1"
}

parse_arguments() {
  while getopts ":v:a:d:h" option; do
    case "$option" in
      v) DEV_HUB="$OPTARG" ;;
      a) ORG_ALIAS="$OPTARG" ;;
      d) DURATION_DAYS="$OPTARG" ;;
      h)
        usage
        exit 0
        ;;
      :) fail "option -$OPTARG needs a value; run with -h for usage" ;;
      *) fail "unknown option -$OPTARG; run with -h for usage" ;;
    esac
  done
  if [[ -z "$DEV_HUB" ]]; then
    usage >&2
    fail "missing -v DEV_HUB_ALIAS"
  fi
  if ! [[ "$DURATION_DAYS" =~ ^[0-9]+$ ]] || ((DURATION_DAYS < 1 || DURATION_DAYS > 30)); then
    fail "invalid -d $DURATION_DAYS; give a whole number of days from 1 to 30"
  fi
}

check_tools() {
  command -v sf >/dev/null || fail "the sf CLI is not on PATH; install @salesforce/cli"
  command -v node >/dev/null || fail "node is not on PATH"
  sf org display --target-org "$DEV_HUB" --json >/dev/null 2>&1 ||
    fail "Dev Hub $DEV_HUB is not authorized; run: sf org login web --set-default-dev-hub --alias $DEV_HUB"
}

create_org() {
  step "Creating scratch org $ORG_ALIAS from Dev Hub $DEV_HUB"
  # The CLI polls org creation itself for up to --wait minutes.
  sf org create scratch \
    --definition-file "$PROJECT_DIR/config/project-scratch-def.json" \
    --target-dev-hub "$DEV_HUB" \
    --alias "$ORG_ALIAS" \
    --duration-days "$DURATION_DAYS" \
    --wait 30
}

activate_currencies() {
  step "Activating EUR and GBP next to the corporate currency USD"
  local iso rate iso_rate
  for iso_rate in "EUR 0.92" "GBP 0.79"; do
    read -r iso rate <<<"$iso_rate"
    sf data create record --target-org "$ORG_ALIAS" --sobject CurrencyType \
      --values "IsoCode=$iso ConversionRate=$rate DecimalPlaces=2 IsActive=true" >/dev/null
  done
}

deploy_source() {
  step "Deploying force-app"
  local job_id status polls=0
  job_id="$(sf project deploy start --target-org "$ORG_ALIAS" \
    --source-dir "$PROJECT_DIR/force-app" --async --json | json_value result.id)" ||
    fail "the deploy did not start; run sf project deploy start --source-dir force-app to see why"
  while ((polls < DEPLOY_POLLS)); do
    # The report command exits non-zero for a failed deploy, so read its status instead.
    status="$(sf project deploy report --target-org "$ORG_ALIAS" --job-id "$job_id" --json 2>/dev/null |
      json_value result.status || true)"
    case "$status" in
      Succeeded)
        echo "deploy $job_id succeeded"
        return
        ;;
      Failed | Canceled | SucceededPartial)
        sf project deploy report --target-org "$ORG_ALIAS" --job-id "$job_id" || true
        fail "deploy $job_id ended as $status; fix the errors above and run the script again"
        ;;
    esac
    polls=$((polls + 1))
    echo "deploy $job_id: ${status:-waiting} ($polls/$DEPLOY_POLLS)"
    sleep "$POLL_SECONDS"
  done
  fail "deploy $job_id did not finish in $((DEPLOY_POLLS * POLL_SECONDS)) seconds; check it with sf project deploy report --job-id $job_id"
}

assign_permission_sets() {
  # NOTE: in a scratch org the admin is also the middleware's integration user, so it
  # gets Cosell_Integration. A production org gives that set to a dedicated user only.
  step "Assigning the co-sell permission sets to the admin"
  sf org assign permset --target-org "$ORG_ALIAS" \
    --name Cosell_Admin \
    --name Cosell_Seller \
    --name Cosell_Channel_Manager \
    --name Cosell_Integration
}

run_apex() {
  step "$1"
  sf apex run --target-org "$ORG_ALIAS" --file "$SCRIPT_DIR/apex/$2" >/dev/null ||
    fail "anonymous Apex $2 failed; run it with sf apex run --file to see the error"
}

load_sample_data() {
  step "Loading the sample deals"
  sf data import tree --target-org "$ORG_ALIAS" --plan "$SCRIPT_DIR/data/plan.json"
}

print_next_steps() {
  cat <<EOF

Scratch org $ORG_ALIAS is ready. Next:
  1. In Setup > Named Credentials, set the URL of Cosell_Middleware to your middleware.
  2. In Setup > Named Credentials > External Credentials > Cosell_Middleware, add the
     authentication parameter Token to the Middleware principal, with the middleware's
     COSELL_API_TOKEN.
  3. Open the org: sf org open --target-org $ORG_ALIAS
EOF
}

main() {
  parse_arguments "$@"
  check_tools
  cd "$PROJECT_DIR"
  create_org
  activate_currencies
  run_apex "Giving the admin a role, as partner account owners need one" assign-admin-role.apex
  deploy_source
  assign_permission_sets
  load_sample_data
  run_apex "Enabling the sample partner accounts" enable-partner-accounts.apex
  # NOTE: this needs Partner Community licences in the scratch org, and the script has
  # not been run against a Dev Hub. Without the licences it fails on the profile query.
  run_apex "Creating the partner users" create-partner-users.apex
  # The sample data loads first because the partner users need its accounts and
  # contacts, so its registrations and attribution rows are shared only now.
  run_apex "Giving the sample registrations partner owners and sharing them" share-sample-records.apex
  run_apex "Naming vendor and partner owners on the sample deals" set-deal-owners.apex
  print_next_steps
}

main "$@"
