//! The model of Azure ML pipelines. 

pub mod yaml;
