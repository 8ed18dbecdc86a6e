package dev.kerbex.endpoint;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.quarkus.arc.Unremovable;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;
import io.vertx.core.net.impl.VertxHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;
import java.lang.reflect.Field;
import org.jboss.logging.Logger;

/**
 * HTTP/1.1 message framing (issue 10, defect 5), below the router, where Netty decodes requests.
 * <ul>
 * <li>A request with both {@code Content-Length} and {@code Transfer-Encoding} is refused with 400 and its connection
 * closed (RFC 9112 §6.1, §6.3: a request-smuggling vector behind a proxy that frames by the other header). Netty's
 * decoder silently drops the {@code Content-Length} of such a request before Vert.x sees it, so each HTTP/1.1
 * connection gets a {@link FramingDecoder} in place of Vert.x's, which marks such a request as undecodable instead.</li>
 * <li>Requests the decoder refuses (that one, a request line or header section over Vert.x's limits, a NUL or other
 * prohibited byte in a header) are answered in the endpoint's format ({@link HttpHardening#refuse}) instead of
 * Vert.x's bare status, with one WARN line.</li>
 * </ul>
 * Vert.x offers no public hook on a new connection's pipeline before its first request is decoded, so the decoder is
 * swapped from a handler on the listening channel, which is reached through one private field of Vert.x
 * ({@code TCPServerBase.bindFuture}). A connection that was accepted without that handler (before the server start
 * event, or if a later Vert.x moved the field) is closed after its first answer (see {@link #guarded}): RFC 9112 §6.1
 * lets a server process such a request by {@code Transfer-Encoding} alone if it then closes the connection, so no
 * smuggled second request can follow. Cleartext HTTP/2 (h2c) is turned off so that every cleartext connection is
 * HTTP/1.1 from its first byte (its pipeline is then complete when it is accepted); HTTP/2 stays available over TLS.
 */
@ApplicationScoped
@Unremovable
public class HttpFraming implements HttpServerOptionsCustomizer {
    private static final Logger LOG = Logger.getLogger(HttpFraming.class);
    private static final String DECODER = "httpDecoder";
    private static final String ACCEPT_HOOK = "kerbexFramingAccept";
    private static final String GUARD = "kerbexFramingGuard";

    private final Vertx vertx;

    HttpFraming(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        // h2c would hand the first bytes of every cleartext connection to a protocol sniffer that configures the
        // HTTP/1.1 decoder and feeds it in one step, leaving no moment to swap the decoder (and an HTTP/2 stream's
        // body is read by a worker thread, README "Known limits").
        options.setHttp2ClearTextEnabled(false);
    }

    // Quarkus fires these asynchronously once a server listens.
    void started(@ObservesAsync HttpServerStart start) {
        install(start.options());
    }

    void started(@ObservesAsync HttpsServerStart start) {
        install(start.options());
    }

    /** Puts the accept hook on every listening HTTP server of this Vert.x that does not have it yet. */
    private synchronized void install(HttpServerOptions options) {
        try {
                Field bound = TCPServerBase.class.getDeclaredField("bindFuture");
            bound.setAccessible(true);
            for (HttpServerImpl server : ((VertxInternal) vertx).sharedHttpServers().values()) {
                @SuppressWarnings("unchecked")
                Future<Channel> channel = (Future<Channel>) bound.get(server);
                if (channel == null || channel.result() == null) {
                    continue;
                }
                ChannelPipeline pipeline = channel.result().pipeline();
                if (pipeline.get(ACCEPT_HOOK) == null) {
                    pipeline.addFirst(ACCEPT_HOOK, new AcceptHook(new HttpServerOptions(options)));
                }
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.errorf("HTTP framing guard not installed (%s): every HTTP/1.1 connection is closed after one answer",
                    e.getClass().getSimpleName());
        }
    }

    /**
     * False for an HTTP/1.1 connection still decoded by Vert.x's own decoder: it may have let a request with both
     * framing headers through, so its connection must close after the answer.
     */
    static boolean guarded(HttpServerRequest request) {
        if (!(request.connection() instanceof HttpServerConnection connection)) {
            return true;
        }
        ChannelHandler decoder = connection.channel().pipeline().get(DECODER);
        return decoder == null || decoder instanceof FramingDecoder;
    }

    /** On the listening channel: each accepted connection gets a guard first in its pipeline. */
    @ChannelHandler.Sharable
    private static final class AcceptHook extends ChannelInboundHandlerAdapter {
        private final HttpServerOptions options;

        AcceptHook(HttpServerOptions options) {
            this.options = options;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                child.pipeline().addFirst(GUARD, new ConnectionGuard(options));
            }
            ctx.fireChannelRead(msg);
        }
    }

    /**
     * Swaps the connection's HTTP/1.1 decoder before the first byte reaches it, then leaves. Over TLS it first moves
     * behind the TLS handler, whose handshake is what configures the HTTP pipeline.
     */
    private static final class ConnectionGuard extends ChannelInboundHandlerAdapter {
        private final HttpServerOptions options;

        ConnectionGuard(HttpServerOptions options) {
            this.options = options;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ChannelPipeline pipeline = ctx.pipeline();
            if (pipeline.get("ssl") != null && pipeline.get(DECODER) == null) {
                pipeline.remove(this);
                pipeline.addAfter("ssl", GUARD, new ConnectionGuard(options));
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ChannelPipeline pipeline = ctx.pipeline();
            if (pipeline.get(DECODER) instanceof HttpRequestDecoder decoder && !(decoder instanceof FramingDecoder)) {
                pipeline.replace(DECODER, DECODER, new FramingDecoder(options));
                if (pipeline.get("handler") instanceof VertxHandler<?> handler
                        && handler.getConnection() instanceof HttpServerConnection connection) {
                    connection.invalidRequestHandler(HttpFraming::undecodable);
                }
            }
            pipeline.remove(this);
            ctx.fireChannelRead(msg);
        }
    }

    /** Vert.x's decoder, except that both framing headers make the request undecodable (RFC 9112 §6.1). */
    static final class FramingDecoder extends VertxHttpRequestDecoder {
        FramingDecoder(HttpServerOptions options) {
            super(options);
        }

        @Override
        protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
            super.handleTransferEncodingChunkedWithContentLength(message);
            message.setDecoderResult(DecoderResult.failure(new ConflictingFraming()));
        }
    }

    /** The decoder's verdict on a request with both {@code Content-Length} and {@code Transfer-Encoding}. */
    static final class ConflictingFraming extends RuntimeException {
        ConflictingFraming() {
            super(CONFLICT, null, false, false);
        }
    }

    static final String CONFLICT = "request: both Content-Length and Transfer-Encoding";

    /** Answers a request the decoder refused, in the endpoint's format, and closes its connection. */
    static void undecodable(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        int status = cause instanceof TooLongHttpLineException ? 414
                : cause instanceof TooLongHttpHeaderException ? 431 : 400;
        String description = cause instanceof ConflictingFraming ? CONFLICT : HttpHardening.describe(status);
        // The cause's class only: a header validation message may quote the offending header.
        LOG.warnf("%s %s from %s: refused by the HTTP decoder with %d (%s)", request.method(), HttpHardening.path(request),
                HttpHardening.source(request), status, cause == null ? "?" : cause.getClass().getSimpleName());
        HttpHardening.refuse(request, status, description, true);
    }
}
