#!/bin/sh
# SPDX-License-Identifier: MIT
# A pre-merge job with carveout, in plain shell (docs/ci.md explains it step by step).
#
#   docs/ci-example.sh TARGET [OUT]
#
# Run from a git checkout of the change. TARGET is the branch the change goes into
# (origin/main, say). The job:
#   1. lists the DTs the change touches: the .dts and .dtso files it adds or changes, and the
#      .dts files that include a .dtsi or header it changes (one level of #include or /include/);
#   2. checks them on the target branch (its merge base with the change, in a temporary git
#      worktree): OUT/base.json is that build's JSON report;
#   3. checks them on the change with --baseline OUT/base.json --baseline-root (the checkout's
#      top folder): only what the change adds is printed, counted and fails the job;
#   4. writes the same findings as SARIF (OUT/carveout.sarif) for code scanning;
#   5. writes `carveout diff -f markdown OLD NEW` of every changed DT the target branch has
#      too into OUT/comment.md, the pull-request comment.
# Uploading and posting happen only when the job is given what they need (see the end).
#
# Environment: CARVEOUT, the carveout binary (default: carveout on PATH); CARVEOUT_ARGS, options
# every call takes, split on spaces (a kernel tree: "-I include -I arch/arm64/boot/dts";
# a board: "-p my-board.yaml" or "--kernel 6.12"; default: none, so -p auto).
# Exit status: carveout check's on the change: 0 nothing new, 1 a new error, 3 a DT that does
# not build; 2 for a usage error of this script.
set -eu

usage() {
	echo "usage: ci-example.sh TARGET [OUT]" >&2
	exit 2
}
case $# in 1 | 2) ;; *) usage ;; esac
target=$1
out=${2:-carveout-out}
carveout=${CARVEOUT:-carveout}
args=${CARVEOUT_ARGS:-}

top=$(git rev-parse --show-toplevel)
cd "$top"
base=$(git merge-base "$target" HEAD) || usage
mkdir -p "$out"
rm -f "$out/changed.txt" "$out/base-files.txt" "$out/comment.md"

# 1. The DTs the change touches, one path a line, relative to the top folder.
git diff --name-only --diff-filter=d "$base" HEAD >"$out/touched.txt"
{
	grep -E '\.dtso?$' "$out/touched.txt" || :
	grep -E '\.(dtsi|h)$' "$out/touched.txt" | while read -r inc; do
		git grep -l -F -e "$(basename "$inc")" -- '*.dts' || :
	done
} | sort -u >"$out/changed.txt"
n=$(wc -l <"$out/changed.txt")
echo "carveout: $n device trees touched by the change" \
	"(against $target at $(git rev-parse --short "$base"))"
if [ "$n" -eq 0 ]; then
	: >"$out/comment.md"
	exit 0
fi

# 2. The target branch's report of the same DTs: the baseline.
wt="$out/base"
git worktree remove --force "$wt" 2>/dev/null || rm -rf "$wt"
git worktree prune
git worktree add --quiet --detach "$wt" "$base"
trap 'git worktree remove --force "$wt"' EXIT
trap 'exit 130' HUP INT TERM
while read -r f; do
	if [ -f "$wt/$f" ]; then echo "$f"; fi
done <"$out/changed.txt" >"$out/base-files.txt"
rc=0
# shellcheck disable=SC2086
(cd "$wt" && "$carveout" check -f json $args --files-from -) \
	<"$out/base-files.txt" >"$out/base.json" || rc=$?
case $rc in
0 | 1) ;;
3) echo "carveout: some DTs do not build on $target: every finding of theirs is new" ;;
*) exit "$rc" ;;
esac

# 3. The change, against the baseline: the job's verdict.
check() {
	# shellcheck disable=SC2086
	"$carveout" check --baseline "$out/base.json" --baseline-root "$top" $args \
		--files-from "$out/changed.txt" "$@"
}
status=0
check || status=$?
[ "$status" -ne 2 ] || exit 2

# 4. SARIF of the same findings, paths relative to the top folder.
check -f sarif >"$out/carveout.sarif" || :

# 5. What each DT change does to the layout, as a pull-request comment.
while read -r f; do
	rc=0
	# shellcheck disable=SC2086
	"$carveout" diff -f markdown $args "$wt/$f" "$f" >>"$out/comment.md" || rc=$?
	[ "$rc" -le 1 ] || echo "carveout: diff of $f failed (exit $rc)" >&2
	echo >>"$out/comment.md"
done <"$out/base-files.txt"
grep -v -x -F -f "$out/base-files.txt" "$out/changed.txt" | while read -r f; do
	printf '### carveout diff: %s\n\nNew file: its findings are in the check above.\n\n' \
		"$f" >>"$out/comment.md"
done
echo "carveout: wrote $out/carveout.sarif and $out/comment.md"

# Upload and post: GitHub's REST API, only when the job has a token. GITHUB_REPOSITORY
# (owner/name), GITHUB_SHA, GITHUB_REF and GITHUB_API_URL are set by GitHub Actions; PR_NUMBER
# by the job. Other CI systems: replace these lines with their own upload and comment calls.
if [ -n "${GITHUB_TOKEN:-}" ] && [ -n "${GITHUB_REPOSITORY:-}" ]; then
	api="${GITHUB_API_URL:-https://api.github.com}/repos/$GITHUB_REPOSITORY"
	auth="Authorization: Bearer $GITHUB_TOKEN"
	sarif=$(gzip -c "$out/carveout.sarif" | base64 | tr -d '\n')
	printf '{"commit_sha":"%s","ref":"%s","sarif":"%s","tool_name":"carveout"}' \
		"${GITHUB_SHA:-$(git rev-parse HEAD)}" "${GITHUB_REF:?}" "$sarif" |
		curl -fsS -H "$auth" --data @- "$api/code-scanning/sarifs" >/dev/null
	if [ -n "${PR_NUMBER:-}" ] && [ -s "$out/comment.md" ]; then
		jq -Rs '{body: .}' "$out/comment.md" |
			curl -fsS -H "$auth" --data @- "$api/issues/$PR_NUMBER/comments" >/dev/null
	fi
fi
exit "$status"
