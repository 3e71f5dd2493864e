package accord_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// repoRoot is the repository holding this module (clients/go).
func repoRoot(t *testing.T) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// serverAddr returns $env if set, else starts $ACCORD_SERVER_BIN (default
// build/accord_server) with extra flags on a free loopback port, waits until
// it reports SERVING, and stops it when the test ends.
func serverAddr(t *testing.T, env string, extra ...string) string {
	if a := os.Getenv(env); a != "" {
		return a
	}
	bin := os.Getenv("ACCORD_SERVER_BIN")
	if bin == "" {
		bin = filepath.Join(repoRoot(t), "build", "accord_server")
	}
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("no server binary (set ACCORD_SERVER_BIN or %s): %v", env, err)
	}
	var lastErr error
	for attempt := 0; attempt < 3; attempt++ { // the free port may be taken in between
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		args := append([]string{"--listen=" + addr,
			"--catalog=" + filepath.Join(repoRoot(t), "data", "catalogue")}, extra...)
		cmd := exec.Command(bin, args...)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		if lastErr = waitServing(addr, exited); lastErr == nil {
			t.Cleanup(func() {
				cmd.Process.Signal(os.Interrupt)
				select {
				case <-exited:
				case <-time.After(10 * time.Second):
					cmd.Process.Kill()
				}
			})
			return addr
		}
		cmd.Process.Kill()
		<-exited
	}
	t.Fatalf("accord_server did not start: %v", lastErr)
	return ""
}

func waitServing(addr string, exited <-chan struct{}) error {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	health := healthpb.NewHealthClient(conn)
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return fmt.Errorf("accord_server exited")
		default:
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		resp, err := health.Check(ctx, &healthpb.HealthCheckRequest{})
		cancel()
		if err == nil && resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return nil
		}
		if status.Code(err) == codes.Unauthenticated { // --auth_token_file: up, and guarded
			return nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("not SERVING at %s within 20s", addr)
}
