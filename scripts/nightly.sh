#!/usr/bin/env bash
# The nightly pipeline (issue 13): fetch TI's exports, keep the new CSV files on a `data`
# branch, build, export for GitHub Pages, decide whether to deploy, report status, and
# alert through one `pipeline-stale` issue (and prune the store, which rides in the Actions
# cache). `.github/workflows/nightly.yml` calls it; it runs the same way on a laptop and in
# tests (tests/it/nightly.rs), configured by env vars:
#
#   TOASTSTATS          the toaststats binary                      [toaststats on PATH]
#   CACHE_DIR           raw cache, a checkout of the data branch   [cache]
#   SITE_DIR            snapshot store (persisted by actions/cache) [site]
#   PUBLIC_DIR          where the pages export goes                [public]
#   DATA_REPO           git URL or path holding the data branch    [none: no clone, no push]
#   DATA_BRANCH         branch for the raw CSV files               [data]
#   FETCH_DATE          fetch this date (YYYY-MM-DD)               [today, UTC]
#   FETCH_FROM/FETCH_TO a backfill range instead (both, inclusive)
#   FETCH_ARGS          extra fetch flags, split on spaces (e.g. --base-url URL)
#   MAX_DATA_AGE_DAYS   data older than this is stale               [toaststats' default]
#   DEPLOY              "always" exports and deploys even when nothing new was published
#   GH                  the gh CLI for alerting; "skip" turns alerting off [gh]
#   STALE_LABEL         label of the alert issue                   [pipeline-stale]
#   WORK_DIR            where the run's reports go                 [a new temporary folder]
#   GITHUB_OUTPUT       when set (Actions), `deploy`, `snapshot_id` and `healthy` go there
#
# Exit status: 0 when the night went well and the site is fresh; 1 when anything failed or
# the site is stale (after alerting). A failed fetch or build never replaces a good site:
# the store only publishes complete snapshots, and nothing is deployed unless a new one was.
set -uo pipefail

TOASTSTATS=${TOASTSTATS:-toaststats}
CACHE_DIR=${CACHE_DIR:-cache}
SITE_DIR=${SITE_DIR:-site}
PUBLIC_DIR=${PUBLIC_DIR:-public}
DATA_REPO=${DATA_REPO:-}
DATA_BRANCH=${DATA_BRANCH:-data}
GH=${GH:-gh}
STALE_LABEL=${STALE_LABEL:-pipeline-stale}
WORK_DIR=${WORK_DIR:-$(mktemp -d)}
mkdir -p "$WORK_DIR"

problems=()
note() { printf 'nightly: %s\n' "$*" >&2; }
problem() { problems+=("$1"); note "PROBLEM: $1"; }
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }
# The value of a top-level string key of a JSON file (toaststats prints stable, pretty JSON).
json_field() {
    sed -n "s/^  \"$2\": \"\\([^\"]*\\)\",\\{0,1\\}$/\\1/p" "$1" | head -n 1
}

git_data() { git -C "$CACHE_DIR" -c user.name="${GIT_AUTHOR_NAME:-toaststats nightly}" \
    -c user.email="${GIT_AUTHOR_EMAIL:-toaststats-nightly@users.noreply.github.com}" "$@"; }

# 1. The raw cache: a checkout of the data branch, created on the first night.
restore_cache() {
    [ -n "$DATA_REPO" ] || return 0
    if [ -d "$CACHE_DIR/.git" ]; then
        if ! { git_data fetch --quiet origin "$DATA_BRANCH" 2>/dev/null &&
            git_data merge --quiet --ff-only "origin/$DATA_BRANCH"; }; then
            note "could not update $CACHE_DIR from $DATA_REPO; using what is there"
        fi
        return 0
    fi
    if git ls-remote --exit-code --heads "$DATA_REPO" "$DATA_BRANCH" >/dev/null 2>&1; then
        git clone --quiet --single-branch --branch "$DATA_BRANCH" "$DATA_REPO" "$CACHE_DIR" ||
            { problem "cannot clone the $DATA_BRANCH branch of $DATA_REPO"; return 1; }
    else
        note "no $DATA_BRANCH branch yet in $DATA_REPO: starting one"
        mkdir -p "$CACHE_DIR"
        if ! { git -C "$CACHE_DIR" init --quiet &&
            git_data checkout --quiet --orphan "$DATA_BRANCH" &&
            git_data remote add origin "$DATA_REPO"; }; then
            problem "cannot start a $DATA_BRANCH checkout in $CACHE_DIR"
            return 1
        fi
    fi
    # Fetch's scratch and log files are not data.
    if [ ! -f "$CACHE_DIR/.gitignore" ]; then
        printf '%s\n' '.partial-*/' '.fetch.lock' '.fetch-state.jsonl' 'fetch-log.jsonl' \
            >"$CACHE_DIR/.gitignore"
    fi
}

# 2. Fetch. Exit 3 (a date not published yet) is normal before TI's nightly update.
fetch() {
    local args=(fetch --cache "$CACHE_DIR" --json)
    if [ -n "${FETCH_FROM:-}" ] || [ -n "${FETCH_TO:-}" ]; then
        args+=(--from "${FETCH_FROM:?FETCH_FROM and FETCH_TO go together}"
            --to "${FETCH_TO:?FETCH_FROM and FETCH_TO go together}")
    elif [ -n "${FETCH_DATE:-}" ]; then
        args+=(--date "$FETCH_DATE")
    fi
    # shellcheck disable=SC2206 # FETCH_ARGS is a list of flags, split on purpose.
    args+=(${FETCH_ARGS:-})
    "$TOASTSTATS" "${args[@]}" >"$WORK_DIR/fetch.json"
    local rc=$?
    case $rc in
        0) note "fetch: everything requested is in the cache" ;;
        3) note "fetch: some dates are not published by TI yet; a later run picks them up" ;;
        *) problem "fetch failed (exit $rc); see the log above and $WORK_DIR/fetch.json" ;;
    esac
}

# 3. Keep new or changed CSV files on the data branch: one commit, pushed without force.
save_data() {
    [ -n "$DATA_REPO" ] && [ -d "$CACHE_DIR/.git" ] || return 0
    git_data add -- .gitignore raw-csv 2>/dev/null || git_data add -- .gitignore
    if git_data diff --cached --quiet; then
        note "data: nothing new to commit"
        return 0
    fi
    local dates
    dates=$(git_data diff --cached --name-only -- raw-csv | cut -d/ -f2 | sort -u | tr '\n' ' ')
    git_data commit --quiet -m "data: ${dates% }" ||
        { problem "cannot commit the new CSV files"; return 1; }
    local try
    for try in 1 2 3; do
        if git_data push --quiet origin "HEAD:refs/heads/$DATA_BRANCH" 2>"$WORK_DIR/push.err"; then
            note "data: pushed ${dates% } to $DATA_BRANCH"
            return 0
        fi
        # Another run pushed first: replay ours on top (new files only), never force.
        note "data: push refused (attempt $try); rebasing on $DATA_BRANCH"
        git_data pull --quiet --rebase origin "$DATA_BRANCH" || break
    done
    problem "cannot push the new CSV files to $DATA_BRANCH: $(tr '\n' ' ' <"$WORK_DIR/push.err")"
}

# 4. Build. Only a build that published a new snapshot is deployed.
build() {
    "$TOASTSTATS" build --cache "$CACHE_DIR" --site "$SITE_DIR" --json >"$WORK_DIR/build.json"
    local rc=$?
    ACTION=$(json_field "$WORK_DIR/build.json" action)
    if [ $rc -ne 0 ]; then
        problem "build failed (exit $rc); the published site was left as it was"
    fi
    note "build: ${ACTION:-no result}"
}

# 5. Export for Pages when there is something new to deploy.
export_site() {
    DEPLOY=false
    if [ "${ACTION:-}" = published ] || { [ "${DEPLOY_MODE:-}" = always ] && [ -e "$SITE_DIR/current.json" ]; }; then
        if "$TOASTSTATS" export --site "$SITE_DIR" --out "$PUBLIC_DIR" --json >"$WORK_DIR/export.json"; then
            DEPLOY=true
            SNAPSHOT_ID=$(json_field "$WORK_DIR/export.json" snapshot_id)
            note "export: $SNAPSHOT_ID -> $PUBLIC_DIR"
        else
            problem "export failed; nothing will be deployed"
        fi
    else
        note "export: nothing new published, nothing to deploy"
    fi
}

# The store rides in the Actions cache: prune it with the store's own retention rules
# (never the current or previous snapshot), so the cache does not grow without end.
prune() {
    [ -d "$SITE_DIR/snapshots" ] || return 0
    "$TOASTSTATS" snapshots prune --site "$SITE_DIR" >&2 ||
        note "prune failed; the store keeps its old snapshots until the next run"
}

# 6. Status last: stale data or a failing store count as a problem too.
status() {
    local args=(status --site "$SITE_DIR")
    if [ -n "${MAX_DATA_AGE_DAYS:-}" ]; then
        args+=(--max-data-age-days "$MAX_DATA_AGE_DAYS")
    fi
    "$TOASTSTATS" "${args[@]}" --json >"$WORK_DIR/status.json"
    local rc=$?
    "$TOASTSTATS" "${args[@]}" >&2
    if [ $rc -ne 0 ]; then
        local fresh data
        fresh=$(json_field "$WORK_DIR/status.json" freshness)
        data=$(json_field "$WORK_DIR/status.json" data_freshness)
        problem "status: site ${fresh:-unknown}, data ${data:-unknown} (exit $rc)"
    fi
}

# 7. Alerting: one open issue labelled $STALE_LABEL while anything is wrong.
alert() {
    [ "$GH" = skip ] && { note "alerting skipped (GH=skip)"; return 0; }
    command -v "$GH" >/dev/null || { note "alerting skipped: $GH not found (GH=skip silences this)"; return 0; }
    local open
    # Without the list, a new issue could duplicate an open one: the failed run alerts instead.
    if ! open=$("$GH" issue list --label "$STALE_LABEL" --state open --json number --jq '.[0].number'); then
        note "cannot list $STALE_LABEL issues; no issue opened or closed"
        return 0
    fi
    if [ ${#problems[@]} -eq 0 ]; then
        if [ -n "$open" ]; then
            "$GH" issue close "$open" --comment "Fresh again: $(run_line)" ||
                note "could not close issue #$open"
        fi
        return 0
    fi
    local body="$WORK_DIR/alert.md"
    {
        printf 'The nightly pipeline needs attention (%s).\n\n' "$(run_line)"
        printf -- '- %s\n' "${problems[@]}"
        printf '\nThe site keeps serving its last good snapshot. This issue closes itself after a run that is fresh.\n'
        printf '\n```\n'
        "$TOASTSTATS" status --site "$SITE_DIR" ${MAX_DATA_AGE_DAYS:+--max-data-age-days "$MAX_DATA_AGE_DAYS"} 2>&1
        printf '```\n'
    } >"$body"
    if [ -n "$open" ]; then
        "$GH" issue comment "$open" --body-file "$body" || note "could not comment on issue #$open"
    else
        "$GH" label create "$STALE_LABEL" --color B60205 \
            --description "The nightly pipeline is failing or the site is stale" >/dev/null 2>&1 || true
        "$GH" issue create --title "Nightly pipeline: site stale or failing" \
            --label "$STALE_LABEL" --body-file "$body" || note "could not open the alert issue"
    fi
}

run_line() {
    if [ -n "${GITHUB_RUN_ID:-}" ]; then
        printf '%s/%s/actions/runs/%s' "${GITHUB_SERVER_URL:-https://github.com}" "${GITHUB_REPOSITORY:-}" "$GITHUB_RUN_ID"
    else
        date -u +'run at %Y-%m-%dT%H:%M:%SZ'
    fi
}

DEPLOY_MODE=${DEPLOY:-}
ACTION=""
SNAPSHOT_ID=""
DEPLOY=false
restore_cache && fetch
save_data
build
export_site
prune
status
alert
output deploy "$DEPLOY"
output snapshot_id "$SNAPSHOT_ID"
if [ ${#problems[@]} -eq 0 ]; then
    output healthy true
    note "done: healthy${SNAPSHOT_ID:+, deploying $SNAPSHOT_ID}"
    exit 0
fi
output healthy false
note "done with ${#problems[@]} problem(s)"
exit 1
