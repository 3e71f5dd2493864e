package main

// The conformance suite (tests/conformance/README.md) over HTTP/JSON: every
// case becomes a GET on the route the OpenAPI document gives its method
// (operationId AccordService_<Method>), through the gateway's handler, in
// front of real servers whose addresses tests/conformance/serve.sh passes in
// ACCORD_CONFORMANCE_ADDR and ACCORD_CONFORMANCE_AUTH_ADDR.
//
// A case whose resource name cannot be written in its method's URL (an empty
// name, or the name of another collection: the URL would route elsewhere or
// nowhere) is reported as skipped, with the reason.

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/code"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"

	"accord/gateway/internal/gw"
)

type conformanceCase struct {
	Name      string            `json:"name"`
	Method    string            `json:"method"`
	Request   map[string]any    `json:"request"`
	PageAll   bool              `json:"page_all"`
	TokenFrom map[string]any    `json:"token_from"`
	Server    string            `json:"server"`
	Metadata  map[string]string `json:"metadata"`
	Expect    struct {
		Names     []string                  `json:"names"`
		TotalSize *float64                  `json:"total_size"`
		Pages     *int                      `json:"pages"`
		Fields    map[string]map[string]any `json:"fields"`
		Absent    map[string][]string       `json:"absent"`
		ErrorRaw  json.RawMessage           `json:"error"`
	} `json:"expect"`
}

type wantError struct {
	Code     string            `json:"code"`
	Reason   string            `json:"reason"`
	Field    *string           `json:"field"`
	Metadata map[string]string `json:"metadata"`
}

// route is one operation of the OpenAPI document.
type route struct {
	path   string                    // e.g. /v1/{name_2}
	params map[string]*regexp.Regexp // path parameter -> its pattern
}

func routes(t *testing.T) map[string]route {
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string `json:"operationId"`
			Parameters  []struct {
				Name    string `json:"name"`
				In      string `json:"in"`
				Pattern string `json:"pattern"`
			} `json:"parameters"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(gw.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[string]route{}
	for path, ops := range doc.Paths {
		op, ok := ops["get"]
		if !ok {
			continue
		}
		r := route{path: path, params: map[string]*regexp.Regexp{}}
		for _, p := range op.Parameters {
			if p.In == "path" {
				r.params[p.Name] = regexp.MustCompile("^(?:" + p.Pattern + ")$")
			}
		}
		out[strings.TrimPrefix(op.OperationID, "AccordService_")] = r
	}
	return out
}

var suffix = regexp.MustCompile(`_[0-9]+$`)

// buildURL returns the URL path and query for a request, or "" and why the
// request cannot be expressed over HTTP.
func buildURL(r route, req map[string]any) (string, string) {
	path := r.path
	used := map[string]bool{}
	for param, pattern := range r.params {
		field := suffix.ReplaceAllString(param, "")
		v, _ := req[field].(string)
		if field == "parent" && v == "" {
			v = "agreements/-" // the documented default of a commitments parent
		}
		if !pattern.MatchString(v) {
			return "", fmt.Sprintf("%s %q does not match the route's %s", field, v, pattern)
		}
		used[field] = true
		segs := strings.Split(v, "/")
		for i, s := range segs {
			segs[i] = url.PathEscape(s)
		}
		path = strings.Replace(path, "{"+param+"}", strings.Join(segs, "/"), 1)
	}
	q := url.Values{}
	keys := make([]string, 0, len(req))
	for k := range req {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if used[k] {
			continue
		}
		switch v := req[k].(type) {
		case []any:
			for _, e := range v {
				q.Add(k, fmt.Sprint(e))
			}
		case float64:
			q.Set(k, fmt.Sprintf("%d", int64(v)))
		default:
			q.Set(k, fmt.Sprint(v))
		}
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	return path, ""
}

func TestConformanceOverHTTP(t *testing.T) {
	addrs := map[string]string{"default": os.Getenv("ACCORD_CONFORMANCE_ADDR"),
		"auth": os.Getenv("ACCORD_CONFORMANCE_AUTH_ADDR")}
	if addrs["default"] == "" || addrs["auth"] == "" {
		t.Fatal("ACCORD_CONFORMANCE_ADDR and ACCORD_CONFORMANCE_AUTH_ADDR must be set: " +
			"run through tests/conformance/serve.sh")
	}
	servers := map[string]*httptest.Server{}
	for profile, addr := range addrs {
		conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		h, err := NewHandler(context.Background(), conn)
		if err != nil {
			t.Fatal(err)
		}
		servers[profile] = httptest.NewServer(h)
		defer servers[profile].Close()
	}
	dir := os.Getenv("ACCORD_CONFORMANCE_CASES")
	if dir == "" {
		dir = filepath.Join("..", "tests", "conformance", "cases")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Fatalf("no conformance cases in %s", dir)
	}
	rs := routes(t)
	passed, skipped, total := 0, 0, 0
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
		for _, tc := range file.Cases {
			total++
			r, ok := rs[tc.Method]
			if !ok {
				t.Errorf("%s: the OpenAPI document has no route for %s", tc.Name, tc.Method)
				continue
			}
			if tc.Request == nil {
				tc.Request = map[string]any{}
			}
			if _, why := buildURL(r, tc.Request); why != "" {
				skipped++
				t.Logf("SKIP %s: not expressible over HTTP: %s", tc.Name, why)
				continue
			}
			profile := tc.Server
			if profile == "" {
				profile = "default"
			}
			if t.Run(tc.Name, func(t *testing.T) { runHTTPCase(t, servers[profile].URL, r, tc) }) {
				passed++
			}
		}
	}
	t.Logf("HTTP conformance: %d passed, %d skipped (not expressible in a URL), %d cases", passed, skipped, total)
	if passed == 0 || skipped*4 > total {
		t.Errorf("too few cases ran over HTTP: %d passed, %d skipped of %d", passed, skipped, total)
	}
}

// get performs one GET; returns the HTTP status and the decoded JSON body.
func get(t *testing.T, base, path string, headers map[string]string) (int, map[string]any) {
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var obj map[string]any
	if err := json.Unmarshal(body, &obj); err != nil {
		t.Fatalf("GET %s: %d, body is not a JSON object: %q", path, resp.StatusCode, body)
	}
	return resp.StatusCode, obj
}

// resources returns the resources of a response body: the body itself for
// a Get (it has a name), else the objects of its one array field.
func resources(obj map[string]any) []map[string]any {
	if _, ok := obj["name"]; ok {
		return []map[string]any{obj}
	}
	for _, v := range obj {
		if list, ok := v.([]any); ok {
			var out []map[string]any
			for _, e := range list {
				m, _ := e.(map[string]any)
				out = append(out, m)
			}
			return out
		}
	}
	return nil
}

func runHTTPCase(t *testing.T, base string, r route, tc conformanceCase) {
	req := tc.Request
	if tc.TokenFrom != nil {
		path, why := buildURL(r, tc.TokenFrom)
		if why != "" {
			t.Fatalf("token_from: %s", why)
		}
		status, body := get(t, base, path, tc.Metadata)
		tok, _ := body["nextPageToken"].(string)
		if status != http.StatusOK || tok == "" {
			t.Fatalf("token_from: HTTP %d, no nextPageToken: %v", status, body)
		}
		req = map[string]any{}
		for k, v := range tc.Request {
			req[k] = v
		}
		req["pageToken"] = tok
	}
	var bodies []map[string]any
	var errBody map[string]any
	var errStatus int
	for {
		path, why := buildURL(r, req)
		if why != "" {
			t.Fatal(why)
		}
		status, body := get(t, base, path, tc.Metadata)
		if status != http.StatusOK {
			errStatus, errBody = status, body
			break
		}
		bodies = append(bodies, body)
		tok, _ := body["nextPageToken"].(string)
		if !tc.PageAll || tok == "" {
			break
		}
		next := map[string]any{}
		for k, v := range req {
			next[k] = v
		}
		next["pageToken"] = tok
		req = next
	}

	if len(tc.Expect.ErrorRaw) > 0 {
		var want wantError
		if err := json.Unmarshal(tc.Expect.ErrorRaw, &want); err != nil {
			t.Fatal(err)
		}
		if errBody == nil {
			t.Fatalf("got HTTP 200, want %s %s", want.Code, want.Reason)
		}
		num, _ := errBody["code"].(float64)
		if got := code.Code_name[int32(num)]; got != want.Code {
			t.Errorf("code %s, want %s: %v", got, want.Code, errBody)
		}
		if wantStatus := runtime.HTTPStatusFromCode(codes.Code(num)); errStatus != wantStatus {
			t.Errorf("HTTP status %d, want %d for %s", errStatus, wantStatus, want.Code)
		}
		var reason, domain string
		var md map[string]any
		var fields []string
		details, _ := errBody["details"].([]any)
		for _, d := range details {
			m, _ := d.(map[string]any)
			switch m["@type"] {
			case "type.googleapis.com/google.rpc.ErrorInfo":
				reason, _ = m["reason"].(string)
				domain, _ = m["domain"].(string)
				md, _ = m["metadata"].(map[string]any)
			case "type.googleapis.com/google.rpc.BadRequest":
				fvs, _ := m["fieldViolations"].([]any)
				for _, fv := range fvs {
					fvm, _ := fv.(map[string]any)
					f, _ := fvm["field"].(string)
					fields = append(fields, f)
				}
			}
		}
		if reason != want.Reason || domain != "accord" {
			t.Errorf("reason %q domain %q, want %q \"accord\": %v", reason, domain, want.Reason, errBody)
		}
		if want.Field == nil {
			if len(fields) != 0 {
				t.Errorf("unexpected field violations %v", fields)
			}
		} else if len(fields) == 0 || fields[0] != *want.Field {
			t.Errorf("field violations %v, want %q", fields, *want.Field)
		}
		for k, v := range want.Metadata {
			if md[k] != v {
				t.Errorf("metadata[%q] = %v, want %q", k, md[k], v)
			}
		}
		return
	}
	if errBody != nil {
		t.Fatalf("HTTP %d: %v", errStatus, errBody)
	}
	var names []string
	byName := map[string]map[string]any{}
	for _, b := range bodies {
		for _, res := range resources(b) {
			n, _ := res["name"].(string)
			names = append(names, n)
			byName[n] = res
		}
	}
	if !reflect.DeepEqual(names, tc.Expect.Names) && !(len(names) == 0 && len(tc.Expect.Names) == 0) {
		t.Errorf("names %q, want %q", names, tc.Expect.Names)
	}
	if tc.Expect.TotalSize != nil {
		got, _ := bodies[0]["totalSize"].(float64) // int32: a JSON number; absent when 0
		if got != *tc.Expect.TotalSize {
			t.Errorf("totalSize %v, want %v", got, *tc.Expect.TotalSize)
		}
	}
	if tc.Expect.Pages != nil && len(bodies) != *tc.Expect.Pages {
		t.Errorf("%d pages, want %d", len(bodies), *tc.Expect.Pages)
	}
	for name, fields := range tc.Expect.Fields {
		obj, ok := byName[name]
		if !ok {
			t.Errorf("fields: %s not returned", name)
			continue
		}
		for k, want := range fields {
			if got := obj[k]; !reflect.DeepEqual(got, want) {
				t.Errorf("%s: %s = %v, want %v", name, k, got, want)
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
				t.Errorf("%s: %s = %v, want absent", name, k, v)
			}
		}
	}
}
