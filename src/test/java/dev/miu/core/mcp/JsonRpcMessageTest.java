package dev.miu.core.mcp;

import dev.miu.core.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading and writing JSON-RPC 2.0 messages, ids kept as sent. */
class JsonRpcMessageTest {

    private static JsonRpcMessage read(String json) {
        return JsonRpcMessage.fromJson(Json.parseObject(json));
    }

    @Test
    void readsEveryKind() {
        var request = assertInstanceOf(
                JsonRpcMessage.Request.class, read("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"ping\"}"));
        assertEquals("s:abc", JsonRpcMessage.idKey(request.id()));
        var notification = assertInstanceOf(
                JsonRpcMessage.Notification.class,
                read("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}"));
        assertEquals("notifications/tools/list_changed", notification.method());
        var response = assertInstanceOf(
                JsonRpcMessage.Response.class, read("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"x\":1}}"));
        assertEquals("n:7", JsonRpcMessage.idKey(response.id()));
        var error = assertInstanceOf(
                JsonRpcMessage.ErrorResponse.class,
                read("{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32602,\"message\":\"bad\"}}"));
        assertEquals(-32602, error.code());
    }

    @Test
    void writesWhatItReads() {
        String json = "{\"jsonrpc\":\"2.0\",\"id\":42,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}";
        assertEquals(Json.parseObject(json), read(json).toJson());
        String error = "{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"error\":{\"code\":-32601,\"message\":\"nope\"}}";
        assertEquals(Json.parseObject(error), read(error).toJson());
    }

    @Test
    void refusesWhatIsNotJsonRpc() {
        assertTrue(assertThrows(McpException.class, () -> read("{\"id\":1,\"result\":{}}"))
                .getMessage()
                .contains("2.0"));
        assertThrows(McpException.class, () -> read("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"x\"}"));
        assertThrows(McpException.class, () -> read("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[1]}"));
        assertThrows(McpException.class, () -> read("{\"jsonrpc\":\"2.0\",\"id\":1}"));
    }
}
