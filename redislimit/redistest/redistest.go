// Package redistest runs a real redis-server for tests: on a free
// loopback port, with its files in a temporary directory, stopped when
// the test ends.
//
// It needs redis-server on PATH (Debian's package redis-server). Without
// it Start skips the test with a message, except when the environment
// variable CI is set, where a missing server fails the test. New runs one
// outside a test.
package redistest

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// ErrNotInstalled is New's error when redis-server is not on PATH.
var ErrNotInstalled = errors.New("redistest: redis-server is not installed (apt-get install redis-server)")

// Server is one redis-server process. Its methods are safe for
// concurrent use.
type Server struct {
	bin  string
	dir  string
	own  bool // dir is New's, removed by Close
	addr string

	mu     sync.Mutex
	cmd    *exec.Cmd
	exited chan struct{}
}

// Start runs a redis-server for tb and stops it on tb's cleanup. It skips
// tb when redis-server is not installed (fails it when CI is set).
func Start(tb testing.TB) *Server {
	tb.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal(ErrNotInstalled.Error() + "; CI must install it")
		}
		tb.Skip(ErrNotInstalled.Error())
	}
	s, err := start(tb.TempDir())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Stop)
	return s
}

// New runs a redis-server outside a test (an example, a program of your
// own); Close stops it and removes its files. It returns ErrNotInstalled
// when redis-server is not on PATH.
func New() (*Server, error) {
	dir, err := os.MkdirTemp("", "redistest")
	if err != nil {
		return nil, err
	}
	s, err := start(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	s.own = true
	return s, nil
}

// start runs a redis-server with its files in dir on a free port.
func start(dir string) (*Server, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, ErrNotInstalled
	}
	s := &Server{bin: bin, dir: dir}
	for range 5 { // another process may take the free port first
		port, perr := freePort()
		if perr != nil {
			return nil, fmt.Errorf("redistest: finding a free port: %w", perr)
		}
		s.addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		if err = s.start(); err == nil {
			return s, nil
		}
	}
	return nil, fmt.Errorf("redistest: starting redis-server: %w", err)
}

// Close stops the server, and removes its files when New made it.
func (s *Server) Close() error {
	s.Stop()
	if s.own {
		return os.RemoveAll(s.dir)
	}
	return nil
}

// Addr returns the server's "127.0.0.1:port".
func (s *Server) Addr() string { return s.addr }

// URL returns the server's address as a redis:// URL.
func (s *Server) URL() string { return "redis://" + s.addr }

// Stop stops the server, at once (SIGKILL) and without saving: to a
// client it is a Redis that went away. Stopping a stopped server does
// nothing.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGCONT) // a paused server cannot die otherwise
	_ = s.cmd.Process.Kill()
	<-s.exited
	s.cmd = nil
}

// Restart starts the server again on the same port, empty, after Stop.
func (s *Server) Restart() error {
	if err := s.start(); err != nil {
		return fmt.Errorf("redistest: restarting redis-server: %w", err)
	}
	return nil
}

// Pause stops the server from answering (SIGSTOP) without closing its
// connections: to a client it is a Redis that stalled. Resume undoes it.
func (s *Server) Pause() { s.signal(syscall.SIGSTOP) }

// Resume lets a paused server answer again.
func (s *Server) Resume() { s.signal(syscall.SIGCONT) }

func (s *Server) signal(sig syscall.Signal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		_ = s.cmd.Process.Signal(sig)
	}
}

// start runs redis-server on s.addr and waits until it answers PING.
func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		return fmt.Errorf("already running on %s", s.addr)
	}
	_, port, _ := net.SplitHostPort(s.addr)
	cmd := exec.Command(s.bin,
		"--bind", "127.0.0.1", "--port", port, "--dir", s.dir,
		"--save", "", "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no",
		"--logfile", filepath.Join(s.dir, "redis.log"))
	cmd.Dir = s.dir
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := ping(s.addr); err == nil {
			s.cmd, s.exited = cmd, exited
			return nil
		}
		select {
		case <-exited:
			log, _ := os.ReadFile(filepath.Join(s.dir, "redis.log"))
			return fmt.Errorf("redis-server on %s exited: %s", s.addr, lastLine(string(log)))
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("redis-server on %s did not answer PING within 10s", s.addr)
		}
	}
}

// ping sends PING and expects +PONG.
func ping(addr string) error {
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return err
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(time.Second))
	if _, err := conn.Write([]byte("PING\r\n")); err != nil {
		return err
	}
	line, err := bufio.NewReader(conn).ReadString('\n')
	if err != nil {
		return err
	}
	if strings.TrimSpace(line) != "+PONG" {
		return fmt.Errorf("PING answered %q", line)
	}
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}
