#!/usr/bin/env bash
# Assembles a Kubernetes "server tarball" in the layout `kind build node-image
# --type file` reads: kubernetes/version, kubernetes/server/bin/{kubeadm,
# kubelet,kubectl} and one docker-save archive per control-plane image.
#
# kind imports those archives into the node's containerd and fetches every
# other image the node needs from a registry, unless the archives already
# carry it. It reads an archive's references from whichever of `repositories`
# and `manifest.json` comes first, so kube-apiserver.tar is written with a
# `repositories` entry first that names every extra reference (etcd, CoreDNS,
# pause, kindnetd, local-path-*) saved in the same archive: kind then sees all
# of them as built, imports them and pulls nothing.
#
# Usage: server-tarball.sh OUT.tar.gz K8S_BIN_DIR K8S_VERSION [EXTRA_IMAGE_REF...]
# Every image must be tagged in the local engine with the reference given.
set -euo pipefail
out=${1:?usage: server-tarball.sh OUT.tar.gz K8S_BIN_DIR K8S_VERSION [EXTRA_IMAGE_REF...]}
bin=${2:?}
version=${3:?}
shift 3
extra=("$@")

work=$(mktemp -d /var/tmp/netproof-k8s-tarball.XXXXXX)
trap 'rm -rf "$work"' EXIT
dest="$work/kubernetes/server/bin"
mkdir -p "$dest"
echo "$version" >"$work/kubernetes/version"
for b in kubeadm kubelet kubectl; do cp "$bin/$b" "$dest/$b"; done

for c in kube-controller-manager kube-scheduler kube-proxy; do
  docker save -o "$dest/$c.tar" "registry.k8s.io/$c:$version"
  echo "$version" >"$dest/$c.docker_tag"
done
echo "$version" >"$dest/kube-apiserver.docker_tag"

# kube-apiserver.tar: the apiserver and every extra image, `repositories` first.
all=("registry.k8s.io/kube-apiserver:$version" "${extra[@]}")
unpacked="$work/apiserver"
mkdir -p "$unpacked"
docker save "${all[@]}" | tar -x -C "$unpacked"
{
  printf '{'
  sep=''
  for ref in "${all[@]}"; do
    id=$(docker image inspect --format '{{.Id}}' "$ref")
    printf '%s"%s":{"%s":"%s"}' "$sep" "${ref%:*}" "${ref##*:}" "${id#sha256:}"
    sep=','
  done
  printf '}\n'
} >"$unpacked/repositories.first"
rm -f "$unpacked/repositories"
mv "$unpacked/repositories.first" "$unpacked/repositories"
(cd "$unpacked" && tar -cf "$dest/kube-apiserver.tar" repositories $(ls -A | grep -vx repositories))

tar -C "$work" -c kubernetes | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
