package graph_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/graph/graphtest"
	"github.com/parley/parley/graph/internal/pgwatch"
)

// freezeProxy forwards TCP connections to a PostgreSQL server until it freezes them: a
// frozen connection forwards nothing more and stays open, as a SIGSTOPped server's do.
type freezeProxy struct {
	l        net.Listener
	upstream string
	mu       sync.Mutex
	links    []*link
	all      bool         // every connection is frozen, new ones too
	armed    atomic.Int64 // freeze all once this many more bytes went upstream (0: not armed)
	accepted atomic.Int64
	done     chan struct{} // closed when the test ends
}

type link struct {
	client, server net.Conn
	frozen         atomic.Bool
}

func newFreezeProxy(t *testing.T, upstream string) *freezeProxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &freezeProxy{l: l, upstream: upstream, done: make(chan struct{})}
	go p.accept()
	t.Cleanup(func() {
		close(p.done)
		l.Close()
		p.mu.Lock()
		defer p.mu.Unlock()
		for _, k := range p.links {
			k.client.Close()
			k.server.Close()
		}
	})
	return p
}

func (p *freezeProxy) accept() {
	for {
		c, err := p.l.Accept()
		if err != nil {
			return
		}
		p.accepted.Add(1)
		s, err := net.Dial("tcp", p.upstream)
		if err != nil {
			c.Close()
			continue
		}
		k := &link{client: c, server: s}
		p.mu.Lock()
		k.frozen.Store(p.all)
		p.links = append(p.links, k)
		p.mu.Unlock()
		go p.forward(k, s, c, true)
		go p.forward(k, c, s, false)
	}
}

// forward copies src to dst, holding what it read while the link is frozen.
func (p *freezeProxy) forward(k *link, dst, src net.Conn, upstream bool) {
	buf := make([]byte, 16<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && upstream {
			if left := p.armed.Add(-int64(n)); left <= 0 && left+int64(n) > 0 {
				p.freezeAll() // this read crossed the armed count
			}
		}
		for k.frozen.Load() {
			select {
			case <-p.done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
		if n > 0 {
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			dst.Close()
			return
		}
	}
}

// freezeAll freezes every connection, and the new ones.
func (p *freezeProxy) freezeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.all = true
	for _, k := range p.links {
		k.frozen.Store(true)
	}
}

// freezeOpen freezes the connections open now; new ones work (a frozen backend under a
// live postmaster).
func (p *freezeProxy) freezeOpen() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, k := range p.links {
		k.frozen.Store(true)
	}
}

// freezeAfter freezes every connection once n more bytes went to the server.
func (p *freezeProxy) freezeAfter(n int64) { p.armed.Store(n) }

// address returns addr through the proxy, with the timeouts given.
func (p *freezeProxy) address(t *testing.T, addr, timeouts string) string {
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = p.l.Addr().String()
	u.RawQuery += "&" + timeouts
	return u.String()
}

// manyQuads is a load of n entities, 3n quads.
func manyQuads(n int) graph.Input {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "<frozen-%d> <type> <Person> .\n<frozen-%d> <label> \"Frozen %d\" .\n<frozen-%d> <alias> \"F%d\" .\n", i, i, i, i, i)
	}
	return graphtest.Input("many.nq", b.String())
}

// TestPostgresFrozenServer: a server that stops answering in the middle of a command
// (the proxy in front of it stops forwarding) makes the command fail soon with an error
// that says so, whether the server is frozen whole (a probe finds it) or only the
// connection's backend is (statement_timeout plus a margin passes).
func TestPostgresFrozenServer(t *testing.T) {
	const timeouts = "connect_timeout=1&statement_timeout=3000"
	for _, tc := range []struct {
		name   string
		freeze func(*freezeProxy)
		run    func(context.Context, *graph.Store) error
		want   string
	}{
		{"stats", func(p *freezeProxy) { p.freezeAfter(1) },
			func(ctx context.Context, s *graph.Store) error { _, err := s.Stats(ctx); return err },
			"and no answer to a new one within connect_timeout=1s"},
		{"load", func(p *freezeProxy) { p.freezeAfter(64 << 10) },
			func(ctx context.Context, s *graph.Store) error {
				_, err := s.Load(ctx, []graph.Input{manyQuads(2000)}, graph.LoadOptions{})
				return err
			},
			"and no answer to a new one within connect_timeout=1s"},
		{"stats on a frozen backend", (*freezeProxy).freezeOpen,
			func(ctx context.Context, s *graph.Store) error { _, err := s.Stats(ctx); return err },
			"past statement_timeout=3s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema := postgresAddress(t) // dropped after the proxy's connections close
			p := newFreezeProxy(t, hostOf(t, schema))
			addr := p.address(t, schema, timeouts)
			s := openStore(t, graph.Config{Backend: graph.BackendPostgres, Address: addr})
			ctx := context.Background()
			if _, err := s.Stats(ctx); err != nil {
				t.Fatalf("stats before the freeze: %v", err)
			}
			tc.freeze(p)
			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- tc.run(ctx, s) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(2 * time.Minute):
				t.Fatal("the command still waits two minutes after the freeze")
			}
			took := time.Since(start)
			t.Logf("failed after %s: %v", took.Round(time.Millisecond), err)
			shown := graph.Explain(err)
			wantStart := "postgres postgres://parley@" + p.l.Addr().String() + "/"
			if err == nil || !strings.HasPrefix(shown.Error(), wantStart) || !strings.Contains(shown.Error(), "the server stopped answering (") ||
				!strings.Contains(shown.Error(), tc.want) || strings.Contains(shown.Error(), "\n") {
				t.Errorf("error shown: %v\nwant one line starting %q, saying %q", shown, wantStart, tc.want)
			}
			if took > 30*time.Second {
				t.Errorf("failed after %s; a frozen server should be found within seconds here", took)
			}
		})
	}
}

// TestPostgresLongQueryThroughProxy: a query that keeps the server silent longer than
// connect_timeout is not cut: the probes it starts find the server alive.
func TestPostgresLongQueryThroughProxy(t *testing.T) {
	base := graphtest.PostgresBase(t)
	p := newFreezeProxy(t, hostOf(t, base))
	db, err := pgwatch.Open(p.address(t, base, "connect_timeout=1&statement_timeout=6000"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	before := p.accepted.Load()
	if _, err := db.Exec("SELECT pg_sleep(3.5)"); err != nil {
		t.Fatalf("a 3.5 s query with connect_timeout=1: %v", err)
	}
	if probes := p.accepted.Load() - before; probes < 2 {
		t.Errorf("%d probes during a 3.5 s query, want at least 2 (one a second)", probes)
	}
}

// hostOf returns a postgres:// address's host:port.
func hostOf(t *testing.T, addr string) string {
	t.Helper()
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// TestPostgresStoppedServer: commands on a server whose every process is stopped with
// SIGSTOP (the cluster .ci/run starts for it, $PARLEY_TEST_POSTGRES_FREEZE, in the
// directory .ci/postgres.sh made, $PARLEY_TEST_POSTGRES_FREEZE_DIR) fail within seconds
// with an error that says so. The cluster is resumed when each subtest ends.
func TestPostgresStoppedServer(t *testing.T) {
	base, dir := os.Getenv("PARLEY_TEST_POSTGRES_FREEZE"), os.Getenv("PARLEY_TEST_POSTGRES_FREEZE_DIR")
	if base == "" || dir == "" {
		if os.Getenv("PARLEY_REQUIRE_POSTGRES") != "" {
			t.Fatal("PARLEY_REQUIRE_POSTGRES is set but PARLEY_TEST_POSTGRES_FREEZE or _DIR is not")
		}
		t.Skip("PARLEY_TEST_POSTGRES_FREEZE and PARLEY_TEST_POSTGRES_FREEZE_DIR are not set (a second cluster from .ci/postgres.sh start, as .ci/run starts)")
	}
	for _, tc := range []struct {
		name string
		run  func(context.Context, *graph.Store) error
	}{
		{"stats", func(ctx context.Context, s *graph.Store) error { _, err := s.Stats(ctx); return err }},
		{"load", func(ctx context.Context, s *graph.Store) error {
			_, err := s.Load(ctx, []graph.Input{manyQuads(2000)}, graph.LoadOptions{})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			schema, drop, err := graphtest.NewPostgresSchema(base)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(drop)
			addr := schema + "&connect_timeout=2"
			s := openStore(t, graph.Config{Backend: graph.BackendPostgres, Address: addr})
			ctx := context.Background()
			if _, err := s.Stats(ctx); err != nil {
				t.Fatalf("stats before the freeze: %v", err)
			}
			stopCluster(t, filepath.Join(dir, "data"))
			start := time.Now()
			done := make(chan error, 1)
			go func() { done <- tc.run(ctx, s) }()
			select {
			case err = <-done:
			case <-time.After(2 * time.Minute):
				t.Fatal("the command still waits two minutes after SIGSTOP")
			}
			took := time.Since(start)
			t.Logf("failed after %s: %v", took.Round(time.Millisecond), err)
			shown := graph.Explain(err)
			wantStart := "postgres " + strings.Split(schema, "?")[0] + ": the server "
			if err == nil || !strings.HasPrefix(shown.Error(), wantStart) || !strings.Contains(shown.Error(), "connect_timeout=2s") || strings.Contains(shown.Error(), "\n") {
				t.Errorf("error shown: %v\nwant one line starting %q, naming connect_timeout", shown, wantStart)
			}
			if took > 30*time.Second {
				t.Errorf("failed after %s; with connect_timeout=2 a stopped server should be found in seconds", took)
			}
		})
	}
}

// stopCluster sends SIGSTOP to the postmaster of the cluster in data and to its
// children, and SIGCONT to them all when the test ends.
func stopCluster(t *testing.T, data string) {
	t.Helper()
	pidFile, err := os.ReadFile(filepath.Join(data, "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	postmaster, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(pidFile), "\n", 2)[0]))
	if err != nil {
		t.Fatalf("postmaster.pid: %v", err)
	}
	t.Cleanup(func() {
		for _, pid := range append([]int{postmaster}, childrenOf(t, postmaster)...) {
			syscall.Kill(pid, syscall.SIGCONT)
		}
	})
	// The postmaster first, so that it forks no child after the scan.
	if err := syscall.Kill(postmaster, syscall.SIGSTOP); err != nil {
		t.Fatalf("SIGSTOP the postmaster (pid %d): %v", postmaster, err)
	}
	children := childrenOf(t, postmaster)
	if len(children) == 0 {
		t.Fatal("the postmaster has no children: not PostgreSQL?")
	}
	for _, pid := range children {
		if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
			t.Fatalf("SIGSTOP pid %d: %v", pid, err)
		}
	}
}

// childrenOf lists the processes whose parent is pid, from /proc/*/stat.
func childrenOf(t *testing.T, pid int) []int {
	t.Helper()
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	var out []int
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // gone
		}
		// pid (comm) state ppid ...: comm may hold spaces and parentheses.
		fields := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(fields) > 1 && fields[1] == strconv.Itoa(pid) {
			child, _ := strconv.Atoi(filepath.Base(filepath.Dir(f)))
			out = append(out, child)
		}
	}
	return out
}
