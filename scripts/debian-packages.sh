# Sourced by the ensure-*.sh scripts: ensure_debian_packages <label> <package>... installs those of
# the packages that are missing (nothing when all are there), refreshing the package lists only
# when an install from the current ones fails.
ensure_debian_packages() {
  local label=$1
  shift
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    echo "$label: already installed"
    return 0
  fi
  echo "$label: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}
