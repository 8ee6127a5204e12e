package dev.miu.code.tui;

import org.jline.keymap.KeyMap;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp.Capability;

import static org.jline.keymap.KeyMap.ctrl;
import static org.jline.keymap.KeyMap.key;

/** The TUI's key bindings, covering the sequences common terminals (xterm, tmux, screen) send. */
final class Keys {

    private Keys() {}

    static KeyMap<Key> keyMap(Terminal terminal) {
        KeyMap<Key> map = new KeyMap<>();
        for (char c = 32; c < 127; c++) {
            map.bind(Key.CHAR, String.valueOf(c));
        }
        map.setUnicode(Key.CHAR);
        map.setNomatch(Key.IGNORE);
        map.setAmbiguousTimeout(80); // a lone Esc is told from an escape sequence by this pause
        map.bind(Key.ENTER, "\r", "\n");
        map.bind(Key.BACKSPACE, "\177", ctrl('H'));
        map.bind(Key.EOF_OR_DELETE, ctrl('D'));
        map.bind(Key.DELETE, "\033[3~");
        map.bind(Key.LEFT, "\033[D", "\033OD", ctrl('B'));
        map.bind(Key.RIGHT, "\033[C", "\033OC", ctrl('F'));
        map.bind(Key.UP, "\033[A", "\033OA", ctrl('P'));
        map.bind(Key.DOWN, "\033[B", "\033OB");
        map.bind(Key.HOME, "\033[H", "\033OH", "\033[1~", ctrl('A'));
        map.bind(Key.END, "\033[F", "\033OF", "\033[4~", ctrl('E'));
        map.bind(Key.PAGE_UP, "\033[5~");
        map.bind(Key.PAGE_DOWN, "\033[6~");
        map.bind(Key.MODE, "\033[Z");
        map.bind(Key.NEW_SESSION, ctrl('N'));
        map.bind(Key.CLEAR, ctrl('L'));
        map.bind(Key.INTERRUPT, "\033");
        map.bind(Key.QUIT, ctrl('C'));
        bindCapability(map, terminal, Key.MODE, Capability.key_btab);
        bindCapability(map, terminal, Key.LEFT, Capability.key_left);
        bindCapability(map, terminal, Key.RIGHT, Capability.key_right);
        bindCapability(map, terminal, Key.UP, Capability.key_up);
        bindCapability(map, terminal, Key.DOWN, Capability.key_down);
        bindCapability(map, terminal, Key.HOME, Capability.key_home);
        bindCapability(map, terminal, Key.END, Capability.key_end);
        bindCapability(map, terminal, Key.DELETE, Capability.key_dc);
        bindCapability(map, terminal, Key.PAGE_UP, Capability.key_ppage);
        bindCapability(map, terminal, Key.PAGE_DOWN, Capability.key_npage);
        return map;
    }

    private static void bindCapability(KeyMap<Key> map, Terminal terminal, Key k, Capability cap) {
        String seq = key(terminal, cap);
        if (seq != null && !seq.isEmpty()) {
            map.bind(k, seq);
        }
    }
}
