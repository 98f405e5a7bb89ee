#!/usr/bin/env bash
# The nightly pipeline (issues 13 and 19): fetch TI's exports, keep the new CSV files on a
# `data` branch, build, export for GitHub Pages, decide whether to deploy (never less
# history than the deployed site has), report status, and alert through one
# `pipeline-stale` issue (and prune the store, which rides in the Actions cache).
# `.github/workflows/nightly.yml` calls it; it runs the same way on a laptop and in tests
# (tests/it/nightly.rs), configured by env vars:
#
#   TOASTSTATS          the toaststats binary                      [toaststats on PATH]
#   CACHE_DIR           raw cache, a checkout of the data branch   [cache]
#   SITE_DIR            snapshot store (persisted by actions/cache) [site]
#   PUBLIC_DIR          where the pages export goes                [public]
#   DATA_REPO           git URL or path holding the data branch    [none: no clone, no push]
#   DATA_BRANCH         branch for the raw CSV files               [data]
#   DEPLOYED_URL        the deployed site's address; its api/v1/dates.json is compared with
#                       the export's before deploying (http(s) or file://)
#                                                                  [none: not compared]
#   ALLOW_SHORTER_HISTORY  "yes" deploys an export with fewer dates than the deployed
#                       site (or when the deployed site cannot be read); manual runs only
#   FETCH_DATE          manual runs: fetch this one date (YYYY-MM-DD)
#   FETCH_FROM/FETCH_TO manual runs: a backfill range (both, inclusive)
#   FETCH_MONTH_ENDS    "yes": with FETCH_FROM/FETCH_TO, each month's final figures only
#                       Without any of these (the scheduled run) fetch asks TI for its
#                       newest data, files it under the footer's as-of date (normally
#                       yesterday) and catches up the missing dates of the last 14 days.
#   FETCH_DISTRICTS     districts to fetch, comma-separated, or "all"
#                                                                  [toaststats.toml's]
#   FETCH_ARGS          extra fetch flags, split on spaces (e.g. --base-url URL)
#   MAX_DATA_AGE_DAYS   data older than this is stale               [toaststats' default]
#   DEPLOY              "always" exports and deploys even when nothing new was published
#   GH                  the gh CLI for alerting; "skip" turns alerting off [gh]
#   STALE_LABEL         label of the alert issue                   [pipeline-stale]
#   WORK_DIR            where the run's reports go                 [a new temporary folder]
#   GITHUB_OUTPUT       when set (Actions), `deploy`, `snapshot_id` and `healthy` go there
#   GITHUB_STEP_SUMMARY when set (Actions), the night's result and problems go there
#
# Exit status: 0 when the night went well and the site is fresh; 1 when anything failed or
# the site is stale (after alerting). A failed fetch or build never replaces a good site:
# the store only publishes complete snapshots, and nothing is deployed unless a new one was.
# When the data branch cannot be reached, cloned, updated or pushed, nothing is built or
# deployed. No message, issue, summary or report file carries a secret: credentials in
# URLs and the values of GH_TOKEN and GITHUB_TOKEN are replaced by ***.
set -uo pipefail

TOASTSTATS=${TOASTSTATS:-toaststats}
CACHE_DIR=${CACHE_DIR:-cache}
SITE_DIR=${SITE_DIR:-site}
PUBLIC_DIR=${PUBLIC_DIR:-public}
DATA_REPO=${DATA_REPO:-}
DATA_BRANCH=${DATA_BRANCH:-data}
DEPLOYED_URL=${DEPLOYED_URL:-}
ALLOW_SHORTER_HISTORY=${ALLOW_SHORTER_HISTORY:-}
GH=${GH:-gh}
STALE_LABEL=${STALE_LABEL:-pipeline-stale}
WORK_DIR=${WORK_DIR:-$(mktemp -d)}
mkdir -p "$WORK_DIR"
# git never waits for a password nobody types, and gives up on a stalled connection.
export GIT_TERMINAL_PROMPT=0
export GIT_HTTP_LOW_SPEED_LIMIT=${GIT_HTTP_LOW_SPEED_LIMIT:-1000}
export GIT_HTTP_LOW_SPEED_TIME=${GIT_HTTP_LOW_SPEED_TIME:-60}

# --- Redaction: one sed program, applied to everything the script prints or writes. ------
# The userinfo of any URL (scheme://user:pass@host -> scheme://***@host), and the literal
# values of the tokens and of the password parts of DATA_REPO and DEPLOYED_URL.
# The delimiter is \001, a byte no URL or token holds.
D=$'\001'
REDACT_SED="s${D}([A-Za-z][A-Za-z0-9+.-]*://)[^/?#[:space:]]+@${D}\\1***@${D}g"
add_secret() {
    [ "${#1}" -ge 4 ] || return 0
    local quoted
    quoted=$(printf '%s' "$1" | sed -e 's/[]\\.*^$+?(){}|[]/\\&/g')
    REDACT_SED="s${D}${quoted}${D}***${D}g;$REDACT_SED"
}
add_url_secret() {
    local authority=${1#*://}
    [ "$authority" != "$1" ] || return 0
    authority=${authority%%/*}
    case $authority in *@*) ;; *) return 0 ;; esac
    local userinfo=${authority%@*}
    case $userinfo in
        *:*) add_secret "${userinfo#*:}" ;;
        *) [ "${#userinfo}" -lt 16 ] || add_secret "$userinfo" ;; # a token as the user name
    esac
}
add_secret "${GH_TOKEN:-}"
add_secret "${GITHUB_TOKEN:-}"
add_url_secret "$DATA_REPO"
add_url_secret "$DEPLOYED_URL"
redact() { sed -u -E -e "$REDACT_SED"; }
# One line of (redacted) text from a multi-line one, for a problem message.
oneline() { printf '%s' "$1" | redact | tr '\n' ' ' | sed -e 's/  */ /g' -e 's/ $//'; }

problems=()
ISSUES_OFF=""
note() { printf 'nightly: %s\n' "$*" | redact >&2; }
problem() {
    local p
    p=$(printf '%s' "$1" | redact)
    problems+=("$p")
    printf 'nightly: PROBLEM: %s\n' "$p" >&2
}
output() { if [ -n "${GITHUB_OUTPUT:-}" ]; then printf '%s=%s\n' "$1" "$2" >>"$GITHUB_OUTPUT"; fi; }
# The value of a top-level string key of a JSON file (toaststats prints stable, pretty JSON).
json_field() {
    sed -n "s/^  \"$2\": \"\\([^\"]*\\)\",\\{0,1\\}$/\\1/p" "$1" | head -n 1
}

git_data() { git -C "$CACHE_DIR" -c user.name="${GIT_AUTHOR_NAME:-toaststats nightly}" \
    -c user.email="${GIT_AUTHOR_EMAIL:-toaststats-nightly@users.noreply.github.com}" "$@"; }

# 1. The raw cache: a checkout of the data branch. "No data branch yet" only when the
# remote answers that it has no such branch (ls-remote exit 2); any other failure to reach
# it is a problem that stops the night before anything is built.
restore_cache() {
    if [ -z "$DATA_REPO" ]; then
        note "no DATA_REPO: using $CACHE_DIR as it is; nothing is pushed"
        return 0
    fi
    local err rc remote_has_branch
    err=$(git ls-remote --exit-code --heads "$DATA_REPO" "$DATA_BRANCH" 2>&1 >/dev/null)
    rc=$?
    case $rc in
        0) remote_has_branch=yes ;;
        2) remote_has_branch=no ;;
        *)
            problem "cannot reach the data repository $DATA_REPO (git ls-remote exit $rc: $(oneline "$err")); nothing was fetched, built or deployed"
            return 1
            ;;
    esac
    if [ -d "$CACHE_DIR/.git" ]; then
        # The URL can carry a token that changes from run to run.
        git_data remote set-url origin "$DATA_REPO" 2>/dev/null ||
            git_data remote add origin "$DATA_REPO" ||
            { problem "cannot point $CACHE_DIR at $DATA_REPO"; return 1; }
        if [ "$remote_has_branch" = yes ]; then
            if ! err=$(git_data fetch --quiet origin "$DATA_BRANCH" 2>&1); then
                problem "cannot update $CACHE_DIR from the $DATA_BRANCH branch of $DATA_REPO (git fetch: $(oneline "$err")); nothing was fetched, built or deployed"
                return 1
            fi
            local updated=yes
            if ! git_data rev-parse --verify --quiet HEAD >/dev/null; then
                err=$(git_data checkout --quiet -B "$DATA_BRANCH" "origin/$DATA_BRANCH" 2>&1) ||
                    updated=no
            elif ! err=$(git_data rebase --quiet --autostash "origin/$DATA_BRANCH" 2>&1); then
                # Fast-forwards, or replays commits an earlier night could not push.
                git_data rebase --abort >/dev/null 2>&1
                updated=no
            fi
            if [ "$updated" = no ]; then
                problem "cannot bring $CACHE_DIR up to the $DATA_BRANCH branch of $DATA_REPO: $(oneline "$err"); nothing was fetched, built or deployed"
                return 1
            fi
        else
            note "$DATA_REPO has no $DATA_BRANCH branch yet: this checkout's commits start it"
        fi
    elif [ "$remote_has_branch" = yes ]; then
        if ! err=$(git clone --quiet --single-branch --branch "$DATA_BRANCH" "$DATA_REPO" "$CACHE_DIR" 2>&1); then
            problem "cannot clone the $DATA_BRANCH branch of $DATA_REPO: $(oneline "$err"); nothing was fetched, built or deployed"
            return 1
        fi
    else
        note "no $DATA_BRANCH branch yet in $DATA_REPO: starting one"
        mkdir -p "$CACHE_DIR"
        if ! err=$({ git -C "$CACHE_DIR" init --quiet &&
            git_data checkout --quiet --orphan "$DATA_BRANCH" &&
            git_data remote add origin "$DATA_REPO"; } 2>&1); then
            problem "cannot start a $DATA_BRANCH checkout in $CACHE_DIR: $(oneline "$err")"
            return 1
        fi
    fi
    # Fetch's scratch, lock and log files are not data; raw-csv/.fetch-gaps.json is (the
    # dates TI no longer serves, so they are reported once): it must travel with the branch.
    printf '%s\n' '.partial-*/' '.replaced-*' '.fetch.lock' '.fetch-state.jsonl' \
        'fetch-log.jsonl' '!.fetch-gaps.json' >"$CACHE_DIR/.gitignore"
}

# 2. Fetch. Exit 3 (something not published yet) is normal; 1 (including TI unreachable)
# and 2 (usage) are problems. The report goes to fetch.json, its stderr to the log and,
# redacted, to fetch.err, which the alert quotes.
fetch() {
    local args=(fetch --cache "$CACHE_DIR" --json)
    if [ -n "${FETCH_DATE:-}" ] && [ -n "${FETCH_FROM:-}${FETCH_TO:-}" ]; then
        problem "FETCH_DATE or FETCH_FROM/FETCH_TO, not both (date '${FETCH_DATE}', from '${FETCH_FROM:-}', to '${FETCH_TO:-}'); nothing was fetched"
        return 1
    fi
    if [ -n "${FETCH_FROM:-}${FETCH_TO:-}" ]; then
        if [ -z "${FETCH_FROM:-}" ] || [ -z "${FETCH_TO:-}" ]; then
            problem "FETCH_FROM and FETCH_TO go together (from '${FETCH_FROM:-}', to '${FETCH_TO:-}'); nothing was fetched"
            return 1
        fi
        args+=(--from "$FETCH_FROM" --to "$FETCH_TO")
        if [ "${FETCH_MONTH_ENDS:-}" = yes ]; then args+=(--month-ends); fi
    elif [ "${FETCH_MONTH_ENDS:-}" = yes ]; then
        problem "FETCH_MONTH_ENDS=yes needs FETCH_FROM and FETCH_TO; nothing was fetched"
        return 1
    elif [ -n "${FETCH_DATE:-}" ]; then
        args+=(--date "$FETCH_DATE")
    fi
    case ${FETCH_DISTRICTS:-} in
        "") ;;
        all | ALL) args+=(--all) ;;
        *) args+=(--districts "${FETCH_DISTRICTS// /}") ;;
    esac
    # shellcheck disable=SC2206 # FETCH_ARGS is a list of flags, split on purpose.
    args+=(${FETCH_ARGS:-})
    note "fetch: ${args[*]}"
    "$TOASTSTATS" "${args[@]}" 2>&1 >"$WORK_DIR/fetch.json" | redact | tee "$WORK_DIR/fetch.err" >&2
    local rc=${PIPESTATUS[0]}
    FETCHED=yes
    case $rc in
        0) note "fetch: everything requested is in the cache" ;;
        3) note "fetch: some dates are not published by TI yet; a later run picks them up" ;;
        *)
            local why
            why=$(fetch_report reason)
            [ -n "$why" ] || why=$(tail -n 1 "$WORK_DIR/fetch.err")
            problem "fetch failed (exit $rc)${why:+: $why}"
            ;;
    esac
}

# What fetch's JSON report says: `reason` (one line: why it failed) or `report` (lines for
# the alert: the live year, the totals, every date's and district's reason).
fetch_report() {
    [ -s "$WORK_DIR/fetch.json" ] || return 0
    command -v python3 >/dev/null || return 0
    python3 - "$1" "$WORK_DIR/fetch.json" <<'PY' 2>/dev/null | redact
import json, sys

mode, path = sys.argv[1], sys.argv[2]
try:
    r = json.load(open(path, encoding="utf-8"))
except Exception:
    sys.exit(0)
if not isinstance(r, dict):
    sys.exit(0)
err = r.get("error")
if isinstance(err, dict):
    print(err.get("message", ""))
    sys.exit(0)
why = []
if r.get("unreachable"):
    why.append("TI could not be reached: %s" % r["unreachable"])
if r.get("stopped"):
    why.append("stopped: %s" % r["stopped"])
if r.get("nothing_served"):
    why.append("TI served nothing: %s" % r["nothing_served"])
units = []
for d in r.get("dates") or []:
    for u in [d.get("summary") or {}] + list(d.get("districts") or []):
        who = "district %s" % u["district"] if u.get("district") else "summary"
        units.append((d.get("date"), who, u.get("status"), u.get("reason")))
failed = ["%s %s: %s" % (date, who, reason) for date, who, s, reason in units if s == "failed"]
if mode == "reason":
    why += failed[:5]
    if len(failed) > 5:
        why.append("and %d more failed" % (len(failed) - 5))
    print("; ".join(why))
    sys.exit(0)
ly = r.get("live_year")
if isinstance(ly, dict):
    print("- live program year %s (learned from %s, %s)"
          % (ly.get("program_year"), ly.get("learned_from"), ly.get("url")))
for w in why:
    print("- " + w)
t = r.get("totals") or {}
print("- fetched %s, already there %s, not published yet %s, failed %s (exit %s)"
      % (t.get("fetched", 0), t.get("skipped", 0), t.get("unavailable", 0), t.get("failed", 0),
         r.get("exit_code")))
shown = [u for u in units if u[2] in ("failed", "unavailable") and u[3]]
for date, who, s, reason in shown[:20]:
    print("- %s %s, %s: %s" % (date, who, s, reason))
if len(shown) > 20:
    print("- and %d more" % (len(shown) - 20))
PY
}

# 3. Keep new or changed CSV files (and raw-csv/.fetch-gaps.json) on the data branch: one
# commit, pushed without force. A push that fails is a problem that stops the night.
save_data() {
    [ -n "$DATA_REPO" ] && [ -d "$CACHE_DIR/.git" ] || return 0
    local err
    git_data add -- .gitignore raw-csv 2>/dev/null || git_data add -- .gitignore
    if [ -f "$CACHE_DIR/raw-csv/.fetch-gaps.json" ]; then
        git_data add --force -- raw-csv/.fetch-gaps.json
    fi
    if git_data diff --cached --quiet; then
        note "data: nothing new to commit"
    else
        local dates
        dates=$(git_data diff --cached --name-only -- raw-csv | sed -n 's#^raw-csv/\([0-9-]\{10\}\)/.*#\1#p' |
            sort -u | tr '\n' ' ')
        dates=${dates% }
        if ! err=$(git_data commit --quiet -m "data: ${dates:-fetch bookkeeping}" 2>&1); then
            problem "cannot commit the new CSV files: $(oneline "$err"); nothing was built or deployed"
            return 1
        fi
    fi
    # Push whatever the remote lacks (also an earlier night's commit that did not get out).
    if [ -z "$(git_data rev-parse --verify --quiet HEAD)" ]; then
        return 0 # a new branch with nothing in it yet
    fi
    if git_data rev-parse --verify --quiet "refs/remotes/origin/$DATA_BRANCH" >/dev/null &&
        [ -z "$(git_data rev-list "origin/$DATA_BRANCH..HEAD")" ]; then
        return 0
    fi
    local try
    for try in 1 2 3; do
        if err=$(git_data push --quiet origin "HEAD:refs/heads/$DATA_BRANCH" 2>&1); then
            note "data: pushed to $DATA_BRANCH ($(git_data log -1 --format=%s))"
            return 0
        fi
        # Another run pushed first: replay ours on top (new files only), never force.
        note "data: push refused (attempt $try): $(oneline "$err"); rebasing on $DATA_BRANCH"
        local pull_err
        if ! pull_err=$(git_data pull --quiet --rebase origin "$DATA_BRANCH" 2>&1); then
            err="$err; git pull: $pull_err"
            git_data rebase --abort >/dev/null 2>&1
            break
        fi
    done
    problem "cannot push the new CSV files to the $DATA_BRANCH branch of $DATA_REPO: $(oneline "$err"); nothing was built or deployed"
    return 1
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

# 5. Export for Pages when there is something new to deploy, and deploy only when the
# export has at least as many dates as the deployed site.
export_site() {
    DEPLOY=false
    if [ "${ACTION:-}" = published ] || { [ "${DEPLOY_MODE:-}" = always ] && [ -e "$SITE_DIR/current.json" ]; }; then
        if "$TOASTSTATS" export --site "$SITE_DIR" --out "$PUBLIC_DIR" --json >"$WORK_DIR/export.json"; then
            SNAPSHOT_ID=$(json_field "$WORK_DIR/export.json" snapshot_id)
            note "export: $SNAPSHOT_ID -> $PUBLIC_DIR"
            if deployed_history_allows; then
                DEPLOY=true
            fi
        else
            problem "export failed; nothing will be deployed"
        fi
    else
        note "export: nothing new published, nothing to deploy"
    fi
}

# `COUNT NEWEST` of a dates.json file (its top-level "dates" list), or nothing.
dates_of() {
    if command -v python3 >/dev/null; then
        python3 -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))["dates"]
assert isinstance(d, list)
newest = max((e.get("data_date") or e.get("collection_date") or "" for e in d if isinstance(e, dict)), default="")
print(len(d), newest or "-")' "$1" 2>/dev/null
    elif command -v jq >/dev/null; then
        jq -er '.dates | if type == "array" then "\(length) \(map(.data_date // .collection_date // "") | max // "-")" else error end' "$1" 2>/dev/null
    else
        return 1
    fi
}

# Never deploy less history than the deployed site has. Nothing there yet (404, or no such
# file for file://) lets the export through; a deployed site that cannot be read stops it,
# since it cannot be shown that the export is not shorter. ALLOW_SHORTER_HISTORY=yes (a
# manual run asking for it by name) deploys anyway.
deployed_history_allows() {
    local new new_count new_newest
    if ! new=$(dates_of "$PUBLIC_DIR/api/v1/dates.json") || [ -z "$new" ]; then
        problem "the export has no readable api/v1/dates.json (python3 or jq needed); nothing deployed"
        return 1
    fi
    read -r new_count new_newest <<<"$new"
    if [ -z "$DEPLOYED_URL" ]; then
        note "deploy: DEPLOYED_URL unset, the deployed site's history is not compared ($new_count dates)"
        return 0
    fi
    local url="${DEPLOYED_URL%/}/api/v1/dates.json"
    local fetch_url=$url
    case $url in http://* | https://*) fetch_url="$url?nightly=$(date -u +%s)" ;; esac # past CDN caches
    local file="$WORK_DIR/deployed-dates.json" code rc err
    rm -f "$file"
    code=$(curl -sS -L --max-time 60 --retry 3 --retry-delay 5 -o "$file" -w '%{http_code}' \
        "$fetch_url" 2>"$WORK_DIR/curl.err")
    rc=$?
    err=$(redact <"$WORK_DIR/curl.err")
    printf '%s\n' "$err" >"$WORK_DIR/curl.err"
    local why=""
    case $rc:$code in
        0:404 | 37:*)
            note "deploy: nothing deployed at $DEPLOYED_URL yet; deploying $new_count dates"
            return 0
            ;;
        0:200 | 0:000)
            local old old_count old_newest
            if old=$(dates_of "$file") && [ -n "$old" ]; then
                read -r old_count old_newest <<<"$old"
                if [ "$new_count" -ge "$old_count" ]; then
                    note "deploy: $new_count dates (newest $new_newest); deployed: $old_count (newest $old_newest)"
                    return 0
                fi
                why="the export has $new_count dates (newest $new_newest), fewer than the $old_count (newest $old_newest) deployed at $DEPLOYED_URL"
            else
                why="$url is not a dates.json with a \"dates\" list"
            fi
            ;;
        *) why="cannot read $url (curl exit $rc, HTTP $code${err:+: $(oneline "$err")}), so the export cannot be shown to keep its history" ;;
    esac
    if [ "$ALLOW_SHORTER_HISTORY" = yes ]; then
        note "deploy: $why; deploying anyway (ALLOW_SHORTER_HISTORY=yes)"
        return 0
    fi
    problem "not deployed: $why. A manual run with allow_shorter_history deploys it anyway"
    return 1
}

# The store rides in the Actions cache: prune it with the store's own retention rules
# (never the current or previous snapshot), so the cache does not grow without end.
prune() {
    [ -d "$SITE_DIR/snapshots" ] || return 0
    "$TOASTSTATS" snapshots prune --site "$SITE_DIR" >&2 ||
        note "prune failed; the store keeps its old snapshots until the next run"
}

# 6. Status last: stale data or a failing store count as a problem too.
status_args() {
    STATUS_ARGS=(status --site "$SITE_DIR")
    if [ -n "${MAX_DATA_AGE_DAYS:-}" ]; then
        STATUS_ARGS+=(--max-data-age-days "$MAX_DATA_AGE_DAYS")
    fi
}
status() {
    status_args
    "$TOASTSTATS" "${STATUS_ARGS[@]}" --json >"$WORK_DIR/status.json"
    local rc=$?
    "$TOASTSTATS" "${STATUS_ARGS[@]}" >&2
    # The store's free space (status: low below 20%, critical below 5%, which also fails
    # status): a full disk would fail every night's build.
    local disk
    disk=$(sed -n 's/^    "state": "\([a-z]*\)"$/\1/p' "$WORK_DIR/status.json" | head -n 1)
    case "$disk" in
    critical) problem "disk: the site's file system has less than 5% free; the next snapshot may not fit" ;;
    low) note "disk: the site's file system has less than 20% free; prune old snapshots or add space" ;;
    esac
    if [ $rc -ne 0 ]; then
        local fresh data
        fresh=$(json_field "$WORK_DIR/status.json" freshness)
        data=$(json_field "$WORK_DIR/status.json" data_freshness)
        problem "status: site ${fresh:-unknown}, data ${data:-unknown} (exit $rc)"
    fi
}

# What the alert and the job summary show below the list of problems.
details() {
    if [ "${FETCHED:-}" = yes ]; then
        printf '\n### What fetch said\n\n'
        fetch_report report
        if [ -s "$WORK_DIR/fetch.err" ]; then
            printf '\nThe last lines of its log:\n\n```\n'
            tail -n 15 "$WORK_DIR/fetch.err"
            printf '```\n'
        fi
    fi
    printf '\n### Status\n\n```\n'
    status_args
    "$TOASTSTATS" "${STATUS_ARGS[@]}" 2>&1
    printf '```\n'
}

# 7. Alerting: one open issue labelled $STALE_LABEL while anything is wrong. Issues turned
# off in the repository is a problem of its own (the run fails, the job summary says how
# to turn them on): otherwise nobody would hear of a failing night.
alert() {
    [ "$GH" = skip ] && { note "alerting skipped (GH=skip)"; return 0; }
    command -v "$GH" >/dev/null || { note "alerting skipped: $GH not found (GH=skip silences this)"; return 0; }
    local open err
    # Without the list, a new issue could duplicate an open one.
    if ! open=$("$GH" issue list --label "$STALE_LABEL" --state open --json number --jq '.[0].number' 2>"$WORK_DIR/gh.err"); then
        err=$(redact <"$WORK_DIR/gh.err")
        printf '%s\n' "$err" >"$WORK_DIR/gh.err"
        if issues_disabled "$err"; then
            ISSUES_OFF=yes
            problem "alerts cannot reach anyone: Issues are turned off in this repository ($(oneline "$err")). Turn them on in Settings → General → Features → Issues"
        elif [ ${#problems[@]} -gt 0 ]; then
            problem "cannot list the $STALE_LABEL issues, so no alert issue was opened or updated: $(oneline "$err")"
        else
            note "cannot list the $STALE_LABEL issues (nothing to report tonight): $(oneline "$err")"
        fi
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
        details
        printf '\nThe site keeps serving its last good snapshot. This issue closes itself after a run that is fresh.\n'
    } | redact >"$body"
    if [ -n "$open" ]; then
        err=$("$GH" issue comment "$open" --body-file "$body" 2>&1 >/dev/null) ||
            problem "could not comment on the alert issue #$open: $(oneline "$err")"
    else
        "$GH" label create "$STALE_LABEL" --color B60205 \
            --description "The nightly pipeline is failing or the site is stale" >/dev/null 2>&1 || true
        if ! err=$("$GH" issue create --title "Nightly pipeline: site stale or failing" \
            --label "$STALE_LABEL" --body-file "$body" 2>&1 >/dev/null); then
            if issues_disabled "$err"; then ISSUES_OFF=yes; fi
            problem "could not open the alert issue: $(oneline "$err")"
        fi
    fi
}

issues_disabled() { printf '%s' "$1" | grep -qi -e 'disabled issues' -e 'issues are disabled' -e 'issues has been disabled' -e 'has issues disabled'; }

# The job summary (Actions): the result, every problem, and how to turn Issues on where
# they are off.
# shellcheck disable=SC2016 # Markdown backticks in printf formats, not commands
write_summary() {
    [ -n "${GITHUB_STEP_SUMMARY:-}" ] || return 0
    {
        if [ ${#problems[@]} -eq 0 ]; then
            printf '## Nightly run: healthy\n\n'
            if [ "$DEPLOY" = true ]; then
                printf 'Deploying snapshot `%s`.\n' "$SNAPSHOT_ID"
            else
                printf 'Nothing new to deploy; the site keeps its snapshot.\n'
            fi
        else
            printf '## Nightly run: %d problem(s)\n\n' "${#problems[@]}"
            if [ -n "$ISSUES_OFF" ]; then
                    printf '> [!WARNING]\n'
                printf '> **Issues are turned off in this repository, so this run could not open its `%s` alert issue.**\n' "$STALE_LABEL"
                printf '> Turn them on: **Settings → General → Features → Issues**. Until then a failed run and this summary are the only alert.\n\n'
            fi
            printf -- '- %s\n' "${problems[@]}"
            details
            if [ "$DEPLOY" = true ]; then
                printf '\nThis run still deploys snapshot `%s`.\n' "$SNAPSHOT_ID"
            else
                printf '\nNothing was deployed: the site keeps serving its last good snapshot.\n'
            fi
        fi
    } | redact >>"$GITHUB_STEP_SUMMARY"
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
FETCHED=""
if restore_cache; then
    fetch
    if save_data; then
        build
        export_site
        prune
    fi
fi
status
alert
write_summary
output deploy "$DEPLOY"
output snapshot_id "$SNAPSHOT_ID"
if [ ${#problems[@]} -eq 0 ]; then
    output healthy true
    if [ "$DEPLOY" = true ]; then note "done: healthy, deploying $SNAPSHOT_ID"; else note "done: healthy"; fi
    exit 0
fi
output healthy false
note "done with ${#problems[@]} problem(s)"
exit 1
