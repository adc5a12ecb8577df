#!/usr/bin/env bash
# Installs what the real-editor tests and the command sandbox tests need: Debian's Chromium, ripgrep and
# bubblewrap, code-server (VS Code 1.100)
# and playwright-core, each in a folder of its own under .tools/ so none of it enters the project's
# lockfile or the VSIX. Safe to run again: every step checks whether it is already done.
#
#   bash scripts/editor/setup.sh          # ARC_TOOLS_DIR=/elsewhere to install outside .tools/
#
# This machine reaches only the npm registry and Debian: nothing here may download from anywhere else.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="${ARC_TOOLS_DIR:-$ROOT/.tools}"
CS_VERSION=4.100.3
PW_VERSION=1.65.1
APT_PACKAGES=(chromium libkrb5-dev ripgrep bubblewrap)

STEP="start"
HINT=""
T_ALL=$EPOCHREALTIME

on_err() {
  local code=$? line=$1
  echo >&2
  echo "setup.sh: step '$STEP' failed (exit $code, line $line)." >&2
  [[ -n "$HINT" ]] && echo "  try: $HINT" >&2
  exit "$code"
}
trap 'on_err $LINENO' ERR
WORK=""
trap 'if [[ -n "$WORK" ]]; then rm -rf "$WORK"; fi' EXIT

elapsed() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
T_STEP=""
begin() { STEP="$1"; HINT="$2"; T_STEP=$EPOCHREALTIME; echo "== $STEP"; }
done_step() { echo "   $STEP: ${1:-done} in $(elapsed "$T_STEP") s"; }

# ---------------------------------------------------------------------------------------------------
begin "apt packages (${APT_PACKAGES[*]})" \
  "run as root; 'apt-get update && apt-get install -y ${APT_PACKAGES[*]}' by hand shows the apt error"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) != 0 ]]; then
    echo "   missing: ${missing[*]}; this step needs root" >&2
    false
  fi
  # Update only when something is missing: the update alone costs ~10-20 s.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  done_step "installed ${missing[*]}"
else
  done_step "already installed"
fi
[[ -x /usr/bin/chromium && -x /usr/bin/rg && -x /usr/bin/bwrap ]]

# ---------------------------------------------------------------------------------------------------
CS_DIR="$TOOLS/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
cs_ready() {
  [[ -f "$CS_DIR/.installed-$CS_VERSION" && -f "$CS_PKG/out/node/entry.js" ]] &&
    [[ -f "$CS_PKG/lib/vscode/out/server-main.js" ]] &&
    [[ -x "$CS_PKG/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]]
}

if cs_ready; then
  begin "ripgrep cache for code-server" ""
  done_step "skipped (code-server already installed)"
else
  # code-server's postinstall runs 'npm install' in lib/vscode, where @vscode/ripgrep's own postinstall
  # downloads a ripgrep release from GitHub, which fails here. That script first looks for
  # <os.tmpdir()>/vscode-ripgrep-cache-<its version>/ripgrep-<release>-<target>.tar.gz and only
  # untars it, expecting 'rg' at the top. So put Debian's rg there, under the exact names it asks for,
  # read from the code-server and @vscode/ripgrep tarballs themselves rather than hard-coded.
  begin "ripgrep cache for code-server" \
    "check that /usr/bin/rg exists and that 'npm pack code-server@$CS_VERSION' works (npm registry reachable?); if the tarball's layout changed, see the comment above this step"
  WORK="$(mktemp -d)"
  (
    cd "$WORK"
    npm pack --loglevel=error "code-server@$CS_VERSION" >/dev/null
    tar xzf "code-server-$CS_VERSION.tgz" package/lib/vscode/npm-shrinkwrap.json \
      package/lib/vscode/extensions/npm-shrinkwrap.json
  )
  mapfile -t RG_VERSIONS < <(node -e '
    const fs = require("fs"), seen = new Set();
    for (const f of process.argv.slice(1)) {
      if (!fs.existsSync(f)) continue;
      for (const [k, v] of Object.entries(JSON.parse(fs.readFileSync(f, "utf8")).packages || {}))
        if (k.endsWith("node_modules/@vscode/ripgrep") && v.version) seen.add(v.version);
    }
    console.log([...seen].join("\n"));
  ' "$WORK/package/lib/vscode/npm-shrinkwrap.json" "$WORK/package/lib/vscode/extensions/npm-shrinkwrap.json")
  if ((${#RG_VERSIONS[@]} == 0)) || [[ -z "${RG_VERSIONS[0]}" ]]; then
    echo "   no @vscode/ripgrep found in code-server's shrinkwrap; its layout changed" >&2
    false
  fi
  # Node's os.tmpdir() is what the download script uses ($TMPDIR, $TMP, $TEMP, else /tmp).
  NODE_TMP="$(node -p 'require("os").tmpdir()')"
  RG_TARGET="$(node -p '({x64:"x86_64-unknown-linux-musl",arm64:"aarch64-unknown-linux-musl"})[process.arch] || ""')"
  [[ -n "$RG_TARGET" ]] || { echo "   unsupported architecture for this recipe: $(uname -m)" >&2; false; }
  for v in "${RG_VERSIONS[@]}"; do
    (cd "$WORK" && npm pack --loglevel=error "@vscode/ripgrep@$v" >/dev/null && mkdir -p "rg-$v" &&
      tar xzf "vscode-ripgrep-$v.tgz" -C "rg-$v")
    RELEASE="$(sed -n "s/^const VERSION = '\(v[^']*\)'.*/\1/p" "$WORK/rg-$v/package/lib/postinstall.js")"
    [[ -n "$RELEASE" ]] || { echo "   could not read the ripgrep release from @vscode/ripgrep@$v's postinstall.js" >&2; false; }
    CACHE="$NODE_TMP/vscode-ripgrep-cache-$v"
    ASSET="$CACHE/ripgrep-$RELEASE-$RG_TARGET.tar.gz"
    mkdir -p "$CACHE"
    if ! tar tzf "$ASSET" 2>/dev/null | grep -qx 'rg'; then
      mkdir -p "$WORK/rgbin" && cp /usr/bin/rg "$WORK/rgbin/rg"
      tar czf "$ASSET.tmp" -C "$WORK/rgbin" rg && mv "$ASSET.tmp" "$ASSET"
    fi
    echo "   @vscode/ripgrep@$v will use $ASSET"
  done
  rm -rf "$WORK"
  WORK=""
  done_step
fi

# ---------------------------------------------------------------------------------------------------
begin "code-server $CS_VERSION into ${CS_DIR#"$ROOT"/}" \
  "see $CS_DIR/install.log; a ripgrep download error means the cache step's file name is wrong; a node-gyp error needs g++, make, python3 and libkrb5-dev; delete $CS_DIR and run again"
if cs_ready; then
  done_step "already installed"
else
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  printf '{ "name": "arc-tools-code-server", "private": true, "description": "not the project: see scripts/editor/setup.sh" }\n' >"$CS_DIR/package.json"
  # --unsafe-perm: code-server's postinstall refuses to run as root without it.
  # --foreground-scripts: npm otherwise hides what the nested installs print, the useful part on a failure.
  if ! (cd "$CS_DIR" && npm_config_yes=true npm i -E --unsafe-perm --foreground-scripts --no-audit --no-fund \
    "code-server@$CS_VERSION" >"$CS_DIR/install.log" 2>&1); then
    tail -n 30 "$CS_DIR/install.log" >&2
    false
  fi
  [[ -x "$CS_PKG/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ]] ||
    { echo "   installed, but lib/vscode has no ripgrep binary" >&2; false; }
  touch "$CS_DIR/.installed-$CS_VERSION"
  done_step "installed ($(du -sh "$CS_DIR" | cut -f1))"
fi

# ---------------------------------------------------------------------------------------------------
PW_DIR="$TOOLS/playwright"
begin "playwright-core $PW_VERSION into ${PW_DIR#"$ROOT"/}" \
  "see $PW_DIR/install.log; delete $PW_DIR and run again"
pw_version() { node -p "require('$PW_DIR/node_modules/playwright-core/package.json').version" 2>/dev/null || true; }
if [[ "$(pw_version)" == "$PW_VERSION" ]]; then
  done_step "already installed"
else
  rm -rf "$PW_DIR"
  mkdir -p "$PW_DIR"
  printf '{ "name": "arc-tools-playwright", "private": true, "description": "not the project: see scripts/editor/setup.sh" }\n' >"$PW_DIR/package.json"
  # playwright-core downloads no browser; the variable only guards against that changing.
  if ! (cd "$PW_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm i -E --no-audit --no-fund \
    "playwright-core@$PW_VERSION" >"$PW_DIR/install.log" 2>&1); then
    tail -n 30 "$PW_DIR/install.log" >&2
    false
  fi
  [[ "$(pw_version)" == "$PW_VERSION" ]]
  done_step "installed"
fi

# ---------------------------------------------------------------------------------------------------
begin "smoke check" "run the printed command by hand"
echo "   $(/usr/bin/chromium --version 2>/dev/null | head -1)"
# Its own XDG dirs: --version otherwise writes ~/.config/code-server/config.yaml.
XDG_TMP="$(mktemp -d)"
echo "   code-server $(XDG_CONFIG_HOME="$XDG_TMP" XDG_DATA_HOME="$XDG_TMP" node "$CS_PKG/out/node/entry.js" --version | tail -1)"
rm -rf "$XDG_TMP"
done_step

STEP="all"
echo "setup.sh: ready in $(elapsed "$T_ALL") s (tools in $TOOLS)"
