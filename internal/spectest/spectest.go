// Package spectest reads openapi.yaml and drives generated client methods
// by reflection, so tests can cover every operation of the spec without a
// hand-kept list. It is used only by tests.
package spectest

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/seed-c9ca4919/kalshi/internal/specread"
)

// Operation is one operation of the spec.
type Operation = specread.Operation

// RepoRoot returns the module root, found from this source file.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// SharedDir returns the shared reference folder beside the repository and
// whether it exists.
func SharedDir() (string, bool) {
	dir := filepath.Join(RepoRoot(), "..", "shared")
	st, err := os.Stat(dir)
	return dir, err == nil && st.IsDir()
}

var paramRE = regexp.MustCompile(`\{([^}]+)\}`)

// Load reads the operations of the spec at path, in path order.
func Load(path string) ([]Operation, error) { return specread.Load(path) }

// LoadRepoSpec reads the repository's openapi.yaml.
func LoadRepoSpec() ([]Operation, error) {
	return Load(filepath.Join(RepoRoot(), "openapi.yaml"))
}

// Method finds the method of v whose name is the operationId plus suffix,
// comparing case-insensitively because the generator upper-cases
// initialisms (GetApiKeys becomes GetAPIKeys).
func Method(v any, id, suffix string) (reflect.Value, bool) {
	rv := reflect.ValueOf(v)
	want := strings.ToLower(id + suffix)
	for i := 0; i < rv.NumMethod(); i++ {
		if strings.ToLower(rv.Type().Method(i).Name) == want {
			return rv.Method(i), true
		}
	}
	return reflect.Value{}, false
}

// SamplePathValue is the value used for the i-th path parameter: the first
// one needs escaping (a space and a slash), so tests prove path escaping.
func SamplePathValue(i int) string {
	if i == 0 {
		return "A B/C-1"
	}
	return fmt.Sprintf("P%d", i)
}

// SampleIntPathValue is the value used for the i-th integer path parameter.
func SampleIntPathValue(i int) int64 { return int64(40 + i) }

// Args builds the arguments for a generated method: the context, sample
// path parameters in order, empty query parameters and a zero request
// body. Variadic request editors are left out.
func Args(ctx context.Context, m reflect.Value) ([]reflect.Value, error) {
	t := m.Type()
	args := []reflect.Value{reflect.ValueOf(ctx)}
	pathIndex := 0
	n := t.NumIn()
	if t.IsVariadic() {
		n--
	}
	for i := 1; i < n; i++ {
		at := t.In(i)
		switch {
		case at.Kind() == reflect.String:
			args = append(args, reflect.ValueOf(SamplePathValue(pathIndex)).Convert(at))
			pathIndex++
		case at.Kind() >= reflect.Int && at.Kind() <= reflect.Int64:
			args = append(args, reflect.ValueOf(SampleIntPathValue(pathIndex)).Convert(at))
			pathIndex++
		case at.Kind() == reflect.Pointer && at.Elem().Kind() == reflect.Struct:
			args = append(args, reflect.New(at.Elem()))
		case at.Kind() == reflect.Struct || at.Kind() == reflect.Map || at.Kind() == reflect.Slice:
			args = append(args, reflect.Zero(at))
		default:
			return nil, fmt.Errorf("argument %d of kind %s is not supported", i, at.Kind())
		}
	}
	return args, nil
}

// ExpectedPath is the escaped path the client must produce for op when
// called with Args: parameters substituted in template order.
func ExpectedPath(op Operation, paramKinds []reflect.Kind) string {
	i := 0
	return paramRE.ReplaceAllStringFunc(op.Path, func(string) string {
		defer func() { i++ }()
		if i < len(paramKinds) && paramKinds[i] != reflect.String {
			return fmt.Sprint(SampleIntPathValue(i))
		}
		return url.PathEscape(SamplePathValue(i))
	})
}

// PathParamKinds lists the kinds of m's path parameter arguments.
func PathParamKinds(m reflect.Value) []reflect.Kind {
	var kinds []reflect.Kind
	t := m.Type()
	for i := 1; i < t.NumIn(); i++ {
		k := t.In(i).Kind()
		if k == reflect.String || (k >= reflect.Int && k <= reflect.Int64) {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// ManifestRow is one row of the recorded fixtures' manifest.tsv.
type ManifestRow struct {
	File      string // path below the fixtures folder
	Kind      string // response, item, array, error or ws
	Method    string
	Path      string
	Status    int // 0 for WebSocket frames
	Operation string
	Schema    string
}

// Fixtures returns the recorded fixtures folder beside the repository and
// its manifest rows. It skips t, saying why, when the folder is absent
// (a plain clone of the module does not have it).
func Fixtures(t testing.TB) (dir string, rows []ManifestRow) {
	t.Helper()
	shared, ok := SharedDir()
	if !ok {
		t.Skip("recorded Kalshi fixtures are not beside the repository (../shared/fixtures); skipping")
	}
	dir = filepath.Join(shared, "fixtures")
	f, err := os.Open(filepath.Join(dir, "manifest.tsv"))
	if err != nil {
		t.Fatalf("reading the fixtures manifest: %v", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = '\t'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading the fixtures manifest: %v", err)
	}
	for _, rec := range recs[1:] {
		if len(rec) < 7 {
			t.Fatalf("manifest row %q has %d columns, want 7", rec, len(rec))
		}
		status, _ := strconv.Atoi(rec[4]) // "-" for frames
		rows = append(rows, ManifestRow{rec[0], rec[1], rec[2], rec[3], status, rec[5], rec[6]})
	}
	if len(rows) == 0 {
		t.Fatal("the fixtures manifest lists nothing")
	}
	return dir, rows
}
