package accord_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/durationpb"

	accord "accord/clients/go"
	"accord/clients/go/accordpb"
)

// Watch through the Go client: the snapshot of a collection is what List
// returns, the bearer token reaches the stream, and a bad filter is a typed
// *accord.Error (docs/watch.md).
func TestWatchSnapshotWithTokenAndTypedErrors(t *testing.T) {
	addr := serverAddr(t, "ACCORD_CONFORMANCE_AUTH_ADDR",
		"--auth_token_file="+filepath.Join(repoRoot(t), "tests", "conformance", "tokens.txt"))
	c, err := accord.Dial(addr, accord.WithBearerToken("conformance-token"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	stream, err := c.Watch(ctx, &accordpb.WatchRequest{Collection: "sectors",
		HeartbeatInterval: durationpb.New(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for {
		resp, err := stream.Recv()
		if err != nil {
			t.Fatalf("Recv: %v", err)
		}
		for _, e := range resp.GetEvents() {
			if e.GetType() != accordpb.WatchEvent_EXISTING {
				t.Fatalf("snapshot event %v", e)
			}
			var sector accordpb.Sector
			if err := e.GetResource().UnmarshalTo(&sector); err != nil || sector.GetName() != e.GetName() {
				t.Fatalf("resource of %s: %v %v", e.GetName(), &sector, err)
			}
			names[e.GetName()] = true
		}
		if resp.GetSnapshotComplete() {
			if resp.GetResumeToken() == "" {
				t.Fatal("no resume token at the end of the snapshot")
			}
			break
		}
	}
	list, err := c.ListSectors(ctx, &accordpb.ListSectorsRequest{PageSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetSectors()) != len(names) {
		t.Fatalf("snapshot has %d sectors, List %d", len(names), len(list.GetSectors()))
	}
	for _, s := range list.GetSectors() {
		if !names[s.GetName()] {
			t.Fatalf("%s listed but not in the snapshot", s.GetName())
		}
	}
	// Idle: a heartbeat within about a second.
	resp, err := stream.Recv()
	if err != nil || !resp.GetHeartbeat() {
		t.Fatalf("want a heartbeat, got %v, %v", resp, err)
	}
	cancel()

	bad, err := c.Watch(context.Background(), &accordpb.WatchRequest{Collection: "sectors",
		Filter: "colour = 1"})
	if err == nil {
		_, err = bad.Recv()
	}
	var e *accord.Error
	if !errors.As(err, &e) || e.Reason != "UNKNOWN_FIELD" {
		t.Fatalf("want an *accord.Error with reason UNKNOWN_FIELD, got %v", err)
	}
}
