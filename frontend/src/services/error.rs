//! What can go wrong when the app asks the API for something.

use std::fmt;

use keyproj_shared::{FieldError, Problem};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// The request never got an answer: the server is down, or the network is.
    Network(String),
    /// The server answered with a non-2xx status and an `application/problem+json` body,
    /// or the app refused a query before sending it (same validation as the server).
    Problem(Problem),
    /// A non-2xx answer without a readable problem body.
    Status { status: u16, status_text: String },
    /// A 2xx answer whose body is not what the contract says.
    Decode(String),
}

impl ApiError {
    /// The problem the app reports itself when the address bar holds a query the API would
    /// refuse: the very same field errors `keyproj_shared` gives the server.
    pub fn invalid_query(errors: Vec<FieldError>) -> Self {
        ApiError::Problem(Problem {
            kind: "about:blank".to_string(),
            title: "查询参数有误".to_string(),
            status: 400,
            detail: Some("地址栏中的查询条件无法识别，请修改或清除筛选条件。".to_string()),
            errors,
            errors_total: None,
        })
    }

    /// A 2xx answer the app could not read.
    pub fn unreadable(e: super::read::Error) -> Self {
        ApiError::Decode(e.to_string())
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Problem(p) => Some(p.status),
            ApiError::Status { status, .. } => Some(*status),
            ApiError::Network(_) | ApiError::Decode(_) => None,
        }
    }

    /// Whether trying again may help: the server was unreachable or failed on its side.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::Network(_) | ApiError::Decode(_) => true,
            ApiError::Problem(_) | ApiError::Status { .. } => {
                matches!(self.status(), Some(s) if s >= 500 || s == 408 || s == 429)
            }
        }
    }

    /// A one-line heading for the error box.
    pub fn title(&self) -> String {
        match self {
            ApiError::Network(_) => "无法连接服务器".to_string(),
            ApiError::Problem(p) => p.title.clone(),
            ApiError::Status { status, .. } if *status == 404 => "未找到".to_string(),
            ApiError::Status { status, .. } if *status >= 500 => "服务器出错".to_string(),
            ApiError::Status { .. } => "请求失败".to_string(),
            ApiError::Decode(_) => "服务器返回的数据无法识别".to_string(),
        }
    }

    /// More words under the heading, where there are any.
    pub fn detail(&self) -> Option<String> {
        match self {
            ApiError::Network(_) => Some("请检查网络连接或稍后重试。".to_string()),
            ApiError::Problem(p) => p.detail.clone(),
            ApiError::Status {
                status,
                status_text,
            } => Some(
                format!("HTTP {status} {status_text}")
                    .trim_end()
                    .to_string(),
            ),
            ApiError::Decode(msg) => Some(msg.clone()),
        }
    }

    /// The per-parameter errors of a problem answer.
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Problem(p) => &p.errors,
            _ => &[],
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.title())?;
        if let Some(d) = self.detail() {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_server_side_failures_are_retryable() {
        let problem = |status| {
            ApiError::Problem(Problem {
                kind: "about:blank".into(),
                title: "x".into(),
                status,
                detail: None,
                errors: vec![],
                errors_total: None,
            })
        };
        assert!(ApiError::Network("down".into()).is_retryable());
        assert!(problem(500).is_retryable());
        assert!(problem(503).is_retryable());
        assert!(!problem(400).is_retryable());
        assert!(!problem(404).is_retryable());
        assert!(!ApiError::invalid_query(vec![]).is_retryable());
    }
}
