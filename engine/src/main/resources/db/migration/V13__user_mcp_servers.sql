-- MCP servers a user added for themselves (Streamable HTTP only; see mcp.UserMcpServers). Header
-- values are secrets: encrypted with AES-GCM (GRIZZ_MCP_SECRET_KEY), bound to the row's id; only
-- their names are kept in clear, for listing. Erasure deletes the rows (the users row stays).
create table user_mcp_servers (
    id                uuid primary key,
    user_id           uuid not null references users (id) on delete cascade,
    name              text not null,
    url               text not null,
    header_names      jsonb not null default '[]',
    headers_encrypted text,
    created_at        timestamptz not null,
    unique (user_id, name)
);
