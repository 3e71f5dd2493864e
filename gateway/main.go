package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func main() {
	listen := flag.String("listen", envOr("ACCORD_GATEWAY_LISTEN", "127.0.0.1:8080"),
		"HTTP address to serve on (env ACCORD_GATEWAY_LISTEN)")
	backend := flag.String("backend", envOr("ACCORD_GATEWAY_BACKEND", "127.0.0.1:50051"),
		"accord_server gRPC address, plaintext (env ACCORD_GATEWAY_BACKEND)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	conn, err := grpc.NewClient(*backend, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		log.Fatalf("accord_gateway: backend %s: %v", *backend, err)
	}
	defer conn.Close()
	handler, err := NewHandler(ctx, conn)
	if err != nil {
		log.Fatalf("accord_gateway: %v", err)
	}
	lis, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatalf("accord_gateway: %v", err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	log.Printf("accord_gateway: serving HTTP on %s, backend %s", lis.Addr(), *backend)
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatalf("accord_gateway: %v", err)
	}
	log.Printf("accord_gateway: stopped")
}
