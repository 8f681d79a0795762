// kindnetd is netproof's stand-in for kind's default CNI daemon, whose module
// is not published on the Go module proxy. It does what kind's manifest asks
// of kindnetd (same image name, same env: HOST_IP, POD_SUBNET), the classic
// kindnet way:
//   - finds its own node by HOST_IP and writes /etc/cni/net.d/10-kindnet.conflist
//     (ptp + host-local over the node's podCIDR, portmap), so pods get a veth
//     each and no bridge;
//   - routes every other node's podCIDR via that node's InternalIP, so pods on
//     different nodes reach each other directly, without NAT;
//   - masquerades pod traffic to anything outside the pod subnet.
// It does not enforce NetworkPolicy (upstream kindnet does since 2024).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

const (
	cniConfigPath = "/etc/cni/net.d/10-kindnet.conflist"
	masqChain     = "KIND-MASQ-AGENT"
)

func main() {
	hostIP, podSubnet := os.Getenv("HOST_IP"), os.Getenv("POD_SUBNET")
	if hostIP == "" || podSubnet == "" {
		log.Fatal("HOST_IP and POD_SUBNET must be set")
	}
	config, err := rest.InClusterConfig()
	if err != nil {
		log.Fatalf("in-cluster config: %v", err)
	}
	client := kubernetes.NewForConfigOrDie(config)
	if err := ensureMasquerade(podSubnet); err != nil {
		log.Fatalf("masquerade rules: %v", err)
	}
	log.Printf("kindnetd (netproof) on %s, pod subnet %s", hostIP, podSubnet)
	for {
		if err := syncOnce(context.Background(), client, hostIP); err != nil {
			log.Printf("sync: %v", err)
		}
		time.Sleep(5 * time.Second)
	}
}

func syncOnce(ctx context.Context, client kubernetes.Interface, hostIP string) error {
	nodes, err := client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		return err
	}
	for i := range nodes.Items {
		node := &nodes.Items[i]
		ip := internalIP(node)
		if ip == "" || len(node.Spec.PodCIDRs) == 0 {
			continue
		}
		if ip == hostIP {
			if err := writeCNIConfig(node.Spec.PodCIDRs); err != nil {
				return err
			}
			continue
		}
		for _, cidr := range node.Spec.PodCIDRs {
			if strings.Contains(cidr, ":") != strings.Contains(ip, ":") {
				continue
			}
			if out, err := exec.Command("ip", "route", "replace", cidr, "via", ip).CombinedOutput(); err != nil {
				return fmt.Errorf("route %s via %s: %v: %s", cidr, ip, err, out)
			}
		}
	}
	return nil
}

func internalIP(node *corev1.Node) string {
	for _, a := range node.Status.Addresses {
		if a.Type == corev1.NodeInternalIP && net.ParseIP(a.Address).To4() != nil {
			return a.Address
		}
	}
	return ""
}

func writeCNIConfig(podCIDRs []string) error {
	ranges := [][]map[string]string{}
	for _, cidr := range podCIDRs {
		if !strings.Contains(cidr, ":") {
			ranges = append(ranges, []map[string]string{{"subnet": cidr}})
		}
	}
	conf := map[string]any{
		"cniVersion": "0.4.0",
		"name":       "kindnet",
		"plugins": []any{
			map[string]any{
				"type":   "ptp",
				"ipMasq": false,
				"ipam": map[string]any{
					"type":    "host-local",
					"dataDir": "/run/cni-ipam-state",
					"routes":  []map[string]string{{"dst": "0.0.0.0/0"}},
					"ranges":  ranges,
				},
				"mtu": 1500,
			},
			map[string]any{"type": "portmap", "capabilities": map[string]bool{"portMappings": true}},
		},
	}
	data, err := json.MarshalIndent(conf, "", "  ")
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(cniConfigPath); err == nil && string(old) == string(data) {
		return nil
	}
	tmp := cniConfigPath + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	log.Printf("writing %s for %v", cniConfigPath, podCIDRs)
	return os.Rename(tmp, cniConfigPath)
}

// ensureMasquerade: pod traffic to the pod subnet keeps its source address;
// anything else leaving a pod is masqueraded behind the node's address.
func ensureMasquerade(podSubnet string) error {
	run := func(args ...string) error {
		if out, err := exec.Command("iptables", append([]string{"-w", "-t", "nat"}, args...)...).CombinedOutput(); err != nil {
			return fmt.Errorf("iptables %s: %v: %s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	_ = run("-N", masqChain)
	if err := run("-F", masqChain); err != nil {
		return err
	}
	if err := run("-A", masqChain, "-d", podSubnet, "-j", "RETURN"); err != nil {
		return err
	}
	if err := run("-A", masqChain, "-j", "MASQUERADE"); err != nil {
		return err
	}
	jump := []string{"POSTROUTING", "-s", podSubnet, "-m", "addrtype", "!", "--dst-type", "LOCAL", "-j", masqChain}
	if run(append([]string{"-C"}, jump...)...) == nil {
		return nil
	}
	return run(append([]string{"-A"}, jump...)...)
}
