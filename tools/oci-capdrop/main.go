// oci-capdrop is an OCI runtime shim for sandboxes whose capability bounding
// set is smaller than what `docker run --privileged` asks for. runc refuses to
// start a process with a capability the caller cannot hold ("unable to apply
// caps"), so before delegating to runc we remove, from the bundle's
// config.json, every capability outside our own bounding set. All other
// arguments pass through unchanged.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// capNames is the kernel's capability numbering (include/uapi/linux/capability.h).
var capNames = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
	"CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
	"CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
	"CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
}

func main() {
	runc := os.Getenv("NETPROOF_RUNC")
	if runc == "" {
		runc = "/usr/sbin/runc"
	}
	if bundle := bundleDir(os.Args[1:]); bundle != "" {
		if err := dropUnheldCaps(bundle + "/config.json"); err != nil {
			fmt.Fprintln(os.Stderr, "oci-capdrop:", err)
			os.Exit(1)
		}
	}
	// `docker exec` into a privileged container: runc exec reads the process
	// (with the same full capability set) from a separate file.
	if process := execProcessFile(os.Args[1:]); process != "" {
		if err := dropUnheldCapsIn(process, false); err != nil {
			fmt.Fprintln(os.Stderr, "oci-capdrop:", err)
			os.Exit(1)
		}
	}
	argv := append([]string{runc}, os.Args[1:]...)
	if err := syscall.Exec(runc, argv, os.Environ()); err != nil {
		fmt.Fprintln(os.Stderr, "oci-capdrop: exec", runc+":", err)
		os.Exit(1)
	}
}

// bundleDir finds the bundle of a `create` or `run` call; other calls have none.
func bundleDir(args []string) string {
	for i, a := range args {
		switch {
		case (a == "--bundle" || a == "-b") && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, "--bundle="):
			return strings.TrimPrefix(a, "--bundle=")
		}
	}
	return ""
}

// execProcessFile finds the process file of an `exec --process FILE` call.
func execProcessFile(args []string) string {
	isExec := false
	for i, a := range args {
		switch {
		case a == "exec":
			isExec = true
		case isExec && (a == "--process" || a == "-p") && i+1 < len(args):
			return args[i+1]
		case isExec && strings.HasPrefix(a, "--process="):
			return strings.TrimPrefix(a, "--process=")
		}
	}
	return ""
}

func boundingSet() (uint64, error) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(status), "\n") {
		if hex, ok := strings.CutPrefix(line, "CapBnd:"); ok {
			return strconv.ParseUint(strings.TrimSpace(hex), 16, 64)
		}
	}
	return 0, fmt.Errorf("no CapBnd line in /proc/self/status")
}

func dropUnheldCaps(path string) error { return dropUnheldCapsIn(path, true) }

// dropUnheldCapsIn edits a bundle's config.json (capabilities under "process")
// or an exec process file (capabilities at the top).
func dropUnheldCapsIn(path string, inSpec bool) error {
	bnd, err := boundingSet()
	if err != nil {
		return err
	}
	held := map[string]bool{}
	for i, name := range capNames {
		held[name] = bnd&(1<<uint(i)) != 0
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	// A generic map keeps every field of the spec we do not know about.
	var spec map[string]any
	if err := json.Unmarshal(raw, &spec); err != nil {
		return err
	}
	process := spec
	if inSpec {
		process, _ = spec["process"].(map[string]any)
	}
	caps, _ := process["capabilities"].(map[string]any)
	if caps == nil {
		return nil
	}
	for set, list := range caps {
		names, _ := list.([]any)
		kept := []any{}
		for _, n := range names {
			name, _ := n.(string)
			if keep, known := held[name]; keep || !known {
				kept = append(kept, n)
			}
		}
		caps[set] = kept
	}
	out, err := json.Marshal(spec)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
