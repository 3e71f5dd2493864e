package accord_test

// The conformance suite (tests/conformance/README.md) through this client:
// every case's request goes through the Client (the generated stub it
// embeds, and Pages for page_all), against a real accord_server.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	accord "accord/clients/go"
)

type conformanceCase struct {
	Name      string            `json:"name"`
	Method    string            `json:"method"`
	Request   json.RawMessage   `json:"request"`
	PageAll   bool              `json:"page_all"`
	TokenFrom json.RawMessage   `json:"token_from"`
	Server    string            `json:"server"`
	Metadata  map[string]string `json:"metadata"`
	Expect    struct {
		Names     []string                  `json:"names"`
		TotalSize *int64                    `json:"total_size"`
		Pages     *int                      `json:"pages"`
		Fields    map[string]map[string]any `json:"fields"`
		Absent    map[string][]string       `json:"absent"`
		Error     *struct {
			Code     string            `json:"code"`
			Reason   string            `json:"reason"`
			Field    *string           `json:"field"`
			Metadata map[string]string `json:"metadata"`
		} `json:"error"`
	} `json:"expect"`
}

type listPage interface {
	proto.Message
	GetNextPageToken() string
}

// casesDir is $ACCORD_CONFORMANCE_CASES or tests/conformance/cases.
func casesDir(t *testing.T) string {
	if dir := os.Getenv("ACCORD_CONFORMANCE_CASES"); dir != "" {
		return dir
	}
	return filepath.Join(repoRoot(t), "tests", "conformance", "cases")
}

func loadCases(t *testing.T) []conformanceCase {
	dir := casesDir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no conformance cases in %s (set ACCORD_CONFORMANCE_CASES)", dir)
	}
	sort.Strings(files)
	var all []conformanceCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var file struct {
			Cases []conformanceCase `json:"cases"`
		}
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		all = append(all, file.Cases...)
	}
	return all
}

func TestConformance(t *testing.T) {
	cases := loadCases(t)
	addr := serverAddr(t, "ACCORD_CONFORMANCE_ADDR")
	authAddr := serverAddr(t, "ACCORD_CONFORMANCE_AUTH_ADDR",
		"--auth_token_file="+filepath.Join(casesDir(t), "..", "tokens.txt"))
	clients := map[string]*accord.Client{}
	for profile, a := range map[string]string{"default": addr, "auth": authAddr} {
		c, err := accord.Dial(a, accord.WithTimeout(10*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		clients[profile] = c
	}
	passed := 0
	for _, tc := range cases {
		ok := t.Run(tc.Name, func(t *testing.T) {
			profile := tc.Server
			if profile == "" {
				profile = "default"
			}
			runCase(t, clients[profile], tc)
		})
		if ok {
			passed++
		}
	}
	t.Logf("conformance: %d of %d cases passed", passed, len(cases))
}

// method returns the Client's method for an RPC name and a new request.
func method(t *testing.T, c *accord.Client, name string) (reflect.Value, proto.Message) {
	m := reflect.ValueOf(c).MethodByName(name)
	if !m.IsValid() {
		t.Fatalf("no method %s", name)
	}
	req := reflect.New(m.Type().In(1).Elem()).Interface().(proto.Message)
	return m, req
}

func invoke(ctx context.Context, m reflect.Value, req proto.Message) (proto.Message, error) {
	out := m.Call([]reflect.Value{reflect.ValueOf(ctx), reflect.ValueOf(req)})
	if err, _ := out[1].Interface().(error); err != nil {
		return nil, err
	}
	return out[0].Interface().(proto.Message), nil
}

func runCase(t *testing.T, c *accord.Client, tc conformanceCase) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if len(tc.Metadata) > 0 {
		ctx = metadata.NewOutgoingContext(ctx, metadata.New(tc.Metadata))
	}
	m, req := method(t, c, tc.Method)
	if err := protojson.Unmarshal(tc.Request, req); err != nil {
		t.Fatalf("request: %v", err)
	}
	if len(tc.TokenFrom) > 0 {
		_, first := method(t, c, tc.Method)
		if err := protojson.Unmarshal(tc.TokenFrom, first); err != nil {
			t.Fatalf("token_from: %v", err)
		}
		resp, err := invoke(ctx, m, first)
		if err != nil {
			t.Fatalf("token_from call: %v", err)
		}
		tok := resp.(listPage).GetNextPageToken()
		if tok == "" {
			t.Fatalf("token_from call returned no next_page_token")
		}
		setString(req, "page_token", tok)
	}

	var responses []proto.Message
	var callErr error
	if tc.PageAll {
		call := func(ctx context.Context, r proto.Message, _ ...grpc.CallOption) (listPage, error) {
			resp, err := invoke(ctx, m, r)
			if err != nil {
				return nil, err
			}
			return resp.(listPage), nil
		}
		for page, err := range accord.Pages(ctx, req, call) {
			if err != nil {
				callErr = err
				break
			}
			responses = append(responses, page)
		}
	} else {
		resp, err := invoke(ctx, m, req)
		callErr = err
		if err == nil {
			responses = append(responses, resp)
		}
	}

	if want := tc.Expect.Error; want != nil {
		if callErr == nil {
			t.Fatalf("got success, want %s %s", want.Code, want.Reason)
		}
		var e *accord.Error
		if !errors.As(callErr, &e) {
			t.Fatalf("error is not an *accord.Error: %v", callErr)
		}
		if got := code.Code_name[int32(e.Code)]; got != want.Code {
			t.Errorf("code %s, want %s (%v)", got, want.Code, e)
		}
		if e.Reason != want.Reason || e.Domain != "accord" {
			t.Errorf("reason %q domain %q, want %q \"accord\"", e.Reason, e.Domain, want.Reason)
		}
		if want.Field == nil {
			if len(e.FieldViolations) != 0 {
				t.Errorf("unexpected field violations %v", e.FieldViolations)
			}
		} else if len(e.FieldViolations) == 0 || e.FieldViolations[0].GetField() != *want.Field {
			t.Errorf("field violations %v, want field %q", e.FieldViolations, *want.Field)
		}
		for k, v := range want.Metadata {
			if e.Metadata[k] != v {
				t.Errorf("metadata[%q] = %q, want %q", k, e.Metadata[k], v)
			}
		}
		return
	}
	if callErr != nil {
		t.Fatalf("call failed: %v", callErr)
	}

	var items []proto.Message
	for _, r := range responses {
		items = append(items, resourcesOf(r)...)
	}
	var names []string
	byName := map[string]map[string]any{}
	for _, it := range items {
		js, err := protojson.Marshal(it)
		if err != nil {
			t.Fatal(err)
		}
		var obj map[string]any
		if err := json.Unmarshal(js, &obj); err != nil {
			t.Fatal(err)
		}
		name, _ := obj["name"].(string)
		names = append(names, name)
		byName[name] = obj
	}
	if !reflect.DeepEqual(names, tc.Expect.Names) && !(len(names) == 0 && len(tc.Expect.Names) == 0) {
		t.Errorf("names %q, want %q", names, tc.Expect.Names)
	}
	if tc.Expect.TotalSize != nil {
		fd := responses[0].ProtoReflect().Descriptor().Fields().ByName("total_size")
		if got := responses[0].ProtoReflect().Get(fd).Int(); got != *tc.Expect.TotalSize {
			t.Errorf("total_size %d, want %d", got, *tc.Expect.TotalSize)
		}
	}
	if tc.Expect.Pages != nil && len(responses) != *tc.Expect.Pages {
		t.Errorf("%d pages, want %d", len(responses), *tc.Expect.Pages)
	}
	for name, fields := range tc.Expect.Fields {
		obj, ok := byName[name]
		if !ok {
			t.Errorf("fields: %s not returned", name)
			continue
		}
		for k, want := range fields {
			if got := obj[k]; !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s = %s, want %s", name, k, jsonString(got), jsonString(want))
			}
		}
	}
	for name, absent := range tc.Expect.Absent {
		obj, ok := byName[name]
		if !ok {
			t.Errorf("absent: %s not returned", name)
			continue
		}
		for _, k := range absent {
			if v, present := obj[k]; present {
				t.Errorf("%s: %s = %s, want absent", name, k, jsonString(v))
			}
		}
	}
}

// resourcesOf returns the resources in a response: the message itself for a
// Get (it has a name), else the elements of its repeated message field.
func resourcesOf(m proto.Message) []proto.Message {
	d := m.ProtoReflect().Descriptor()
	if d.Fields().ByName("name") != nil {
		return []proto.Message{m}
	}
	for i := 0; i < d.Fields().Len(); i++ {
		fd := d.Fields().Get(i)
		if fd.IsList() && fd.Kind() == protoreflect.MessageKind {
			list := m.ProtoReflect().Get(fd).List()
			out := make([]proto.Message, list.Len())
			for j := range out {
				out[j] = list.Get(j).Message().Interface()
			}
			return out
		}
	}
	return nil
}

func setString(m proto.Message, field, v string) {
	fd := m.ProtoReflect().Descriptor().Fields().ByName(protoreflect.Name(field))
	m.ProtoReflect().Set(fd, protoreflect.ValueOfString(v))
}

func jsonString(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
