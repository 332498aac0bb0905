package dev.aggregator.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP port that forwards to another (the local RabbitMQ), opened when a test says so: a broker that is
 * not there when the service starts and appears later at the address it was given.
 */
public final class TcpForwarder implements AutoCloseable {

    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    private TcpForwarder(ServerSocket server) {
        this.server = server;
    }

    /** Starts listening on listenPort and forwards every connection to 127.0.0.1:targetPort. */
    public static TcpForwarder open(int listenPort, int targetPort) throws IOException {
        ServerSocket server = new ServerSocket(listenPort, 50, InetAddress.getLoopbackAddress());
        TcpForwarder f = new TcpForwarder(server);
        Thread accept = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket in = server.accept();
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    f.sockets.add(in);
                    f.sockets.add(out);
                    pump(in, out);
                    pump(out, in);
                } catch (IOException e) {
                    // closed
                }
            }
        }, "tcp-forwarder-" + listenPort);
        accept.setDaemon(true);
        accept.start();
        return f;
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    to.close();
                    from.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
    }
}
