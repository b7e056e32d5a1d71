//! `GET /api/openapi.json`: the API described from the route table and the
//! command table in this crate, so it cannot drift from what is served.

use axum::Json;
use serde_json::{Map, Value, json};

use crate::rpc::COMMANDS;

fn error_responses() -> Value {
    json!({
        "400": { "$ref": "#/components/responses/Error" },
        "401": { "$ref": "#/components/responses/Error" },
        "403": { "$ref": "#/components/responses/Error" },
        "404": { "$ref": "#/components/responses/Error" },
        "429": { "$ref": "#/components/responses/Error" },
        "500": { "$ref": "#/components/responses/Error" }
    })
}

pub fn document() -> Value {
    let mut paths = Map::new();
    paths.insert(
        "/health".into(),
        json!({ "get": { "summary": "Liveness", "security": [], "responses": { "200": { "description": "alive" } } } }),
    );
    paths.insert(
        "/ready".into(),
        json!({ "get": { "summary": "Readiness: database, disk space, providers, extractors (details with a login)", "security": [],
            "responses": { "200": { "description": "ready" }, "503": { "description": "not ready" } } } }),
    );
    paths.insert(
        "/api/session".into(),
        json!({
            "post": {
                "summary": "Log in: sets the session cookie",
                "security": [],
                "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object", "required": ["password"],
                    "properties": { "password": { "type": "string" }, "totp": { "type": "string", "description": "6-digit code or a recovery code" } } } } } },
                "responses": { "204": { "description": "logged in; Set-Cookie carries the session" },
                               "401": { "$ref": "#/components/responses/Error" },
                               "429": { "$ref": "#/components/responses/Error" } }
            },
            "get": { "summary": "Who is logged in, and the session's CSRF token (`csrf`)",
                     "responses": { "200": { "description": "the session" }, "401": { "$ref": "#/components/responses/Error" } } },
            "delete": { "summary": "Log out", "responses": { "204": { "description": "logged out" } } }
        }),
    );
    paths.insert(
        "/api/downloads".into(),
        json!({
            "get": { "summary": "Every download", "responses": { "200": { "description": "DownloadView[]" } } },
            "post": { "summary": "Adds a link",
                "requestBody": { "required": true, "content": { "application/json": { "schema": {
                    "type": "object", "required": ["url"],
                    "properties": { "url": { "type": "string" }, "dir": { "type": "string", "description": "inside the download folder or an --allow-dir folder" } } } } } },
                "responses": { "201": { "description": "DownloadView" } } }
        }),
    );
    paths.insert(
        "/api/events".into(),
        json!({ "get": { "summary": "Server-Sent Events: progress snapshots, library, people, sources and history changes",
                         "responses": { "200": { "description": "text/event-stream" } } } }),
    );
    paths.insert(
        "/api/media/{kind}/{id}".into(),
        json!({ "get": { "summary": "A library item's thumbnail or file, or a face crop, by id",
            "parameters": [
                { "name": "kind", "in": "path", "required": true, "schema": { "type": "string", "enum": ["thumb", "file", "face"] } },
                { "name": "id", "in": "path", "required": true, "schema": { "type": "integer", "minimum": 0 } } ],
            "responses": { "200": { "description": "the bytes" }, "206": { "description": "a range" } } } }),
    );
    for command in COMMANDS {
        paths.insert(
            format!("/api/rpc/{}", command.name),
            json!({ "post": {
                "summary": command.summary,
                "operationId": command.name,
                "requestBody": { "content": { "application/json": { "schema": { "type": "object" } } } },
                "responses": { "200": { "description": "the command's result (JSON)" } }
            } }),
        );
    }
    for item in paths.values_mut() {
        if let Some(operations) = item.as_object_mut() {
            for operation in operations.values_mut() {
                if let Some(responses) = operation
                    .get_mut("responses")
                    .and_then(Value::as_object_mut)
                    && let Some(errors) = error_responses().as_object()
                {
                    for (status, response) in errors {
                        responses.entry(status.clone()).or_insert(response.clone());
                    }
                }
            }
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": { "title": "Haul", "version": env!("CARGO_PKG_VERSION"),
                  "description": "Haul's core over HTTP. Browsers log in with POST /api/session and send the session's CSRF token as X-CSRF-Token; scripts send an API token as Authorization: Bearer." },
        "security": [ { "session": [] }, { "token": [] } ],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": "haul_session" },
                "token": { "type": "http", "scheme": "bearer" }
            },
            "schemas": {
                "CoreError": { "type": "object", "required": ["code", "message"],
                    "properties": { "code": { "type": "string" }, "message": { "type": "string" } } }
            },
            "responses": {
                "Error": { "description": "a CoreError", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CoreError" } } } }
            }
        }
    })
}

pub async fn get() -> Json<Value> {
    Json(document())
}
