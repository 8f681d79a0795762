// CoreDNS at the release versions.env pins, with only the plugins a kind
// cluster's Corefile uses (kubeadm's default and kind/manifests/coredns.yaml)
// compiled in. Upstream's main imports every plugin (core/plugin), among them
// cloud SDKs (route53, azure, clouddns), etcd, geoip and tracing, which no lab
// Corefile names and which were most of the build's time on a fresh machine.
// The plugins' order in a server block comes from core/dnsserver's directive
// list, not from these imports, so a Corefile runs as in the upstream binary.
package main

import (
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/forward"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/metrics"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
	_ "github.com/coredns/coredns/plugin/template"

	"github.com/coredns/coredns/coremain"
)

func main() {
	coremain.Run()
}
