-- miu's studio sessions (sessions.store: postgres). One row per session, one per message; what a person may want
-- to query (who said what, which agent, tokens used, which tool calls wait for whom) are columns.

CREATE TABLE sessions (
    id                 uuid        PRIMARY KEY,
    name               text        NOT NULL,
    agent              text,                   -- null: the server's default agent (sessions from before agents)
    model              text,                   -- provider:model, null: the server's default
    system_prompt      text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    message_count      integer     NOT NULL DEFAULT 0,
    -- usage: the tokens of every turn so far
    input_tokens       bigint      NOT NULL DEFAULT 0,
    output_tokens      bigint      NOT NULL DEFAULT 0,
    cache_read_tokens  bigint      NOT NULL DEFAULT 0,
    cache_write_tokens bigint      NOT NULL DEFAULT 0,
    -- approvals: tools approved for the rest of the session, and a paused turn's state to resume it with
    remembered_tools   text[]      NOT NULL DEFAULT '{}',
    paused_state       jsonb
);

-- the list: newest first, a page after a cursor, optionally of one agent
CREATE INDEX sessions_recent ON sessions (updated_at DESC, id DESC);
CREATE INDEX sessions_agent_recent ON sessions (agent, updated_at DESC, id DESC);

CREATE TABLE messages (
    session_id  uuid    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position    integer NOT NULL,              -- 0-based order in the session
    role        text    NOT NULL,              -- user, assistant
    agent       text,                          -- the agent that produced it (assistant messages of composites)
    content     jsonb   NOT NULL,              -- content blocks: text, tool_use, tool_result
    search_text text    NOT NULL DEFAULT '',   -- its text blocks and tool results, for ?q=
    PRIMARY KEY (session_id, position)
);

-- the tool calls of a session's last turn that wait for a person (decided or not: the pause is resumed when all are)
CREATE TABLE pending_approvals (
    session_id   uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position     integer     NOT NULL,
    approval_id  text        NOT NULL,
    tool_call_id text        NOT NULL,
    agent        text,
    tool         text        NOT NULL,
    input        jsonb       NOT NULL,
    diff         text,
    created_at   timestamptz NOT NULL,
    decision     text CHECK (decision IN ('approve', 'deny')),
    reason       text,
    decided_at   timestamptz,
    PRIMARY KEY (session_id, position)
);

-- the calls decided in earlier pauses: who asked, what was decided, when, why
CREATE TABLE approvals_audit (
    session_id   uuid        NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    position     integer     NOT NULL,
    approval_id  text        NOT NULL,
    tool_call_id text        NOT NULL,
    agent        text,
    tool         text        NOT NULL,
    input        jsonb       NOT NULL,
    diff         text,
    created_at   timestamptz NOT NULL,
    decision     text CHECK (decision IN ('approve', 'deny')),
    reason       text,
    decided_at   timestamptz,
    PRIMARY KEY (session_id, position)
);
