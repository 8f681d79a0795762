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
//
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
	config.Timeout = 5 * time.Second
	// The API is reached through its ClusterIP: until kube-proxy has written
	// the rule that DNATs it, a connection would follow the node's default
	// route off the machine. Wait for the rule instead of sending anything.
	waitForServiceRule(os.Getenv("KUBERNETES_SERVICE_HOST"))
	client := kubernetes.NewForConfigOrDie(config)
	if err := ensureMasquerade(podSubnet); err != nil {
		log.Fatalf("masquerade rules: %v", err)
	}
	log.Printf("kindnetd (netproof) on %s, pod subnet %s", hostIP, podSubnet)
	for {
		err := syncOnce(context.Background(), client, hostIP)
		if err != nil {
			log.Printf("sync: %v", err)
		}
		// Every second until this node's CNI config exists (the node is not
		// Ready before), then every five for new nodes' routes.
		if _, statErr := os.Stat(cniConfigPath); err != nil || statErr != nil {
			time.Sleep(time.Second)
		} else {
			time.Sleep(5 * time.Second)
		}
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

// waitForServiceRule waits (at most 90 s) until kube-proxy's iptables rules
// send the API's ClusterIP to the API server.
func waitForServiceRule(clusterIP string) {
	if clusterIP == "" {
		return
	}
	deadline := time.Now().Add(90 * time.Second)
	for time.Now().Before(deadline) {
		out, err := exec.Command("iptables", "-w", "-t", "nat", "-S", "KUBE-SERVICES").CombinedOutput()
		if err == nil && strings.Contains(string(out), clusterIP+"/32") {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	log.Printf("no kube-proxy rule for %s after 90 s; trying the API anyway", clusterIP)
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
