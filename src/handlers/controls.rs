//! What the admin API does that no legacy operation did: set an account's balance, and reset
//! every piece of data.

use super::worker::WorkerError;
use crate::handlers::service::Service;
use crate::money::Cents;

/// Sets a requester's available balance, to exercise InsufficientFunds paths.
pub fn set_balance(svc: &Service, access_key_id: &str, balance: Cents) -> Result<(), WorkerError> {
    svc.store.write(|tx| {
        if tx.set_balance(access_key_id, balance)? {
            Ok(())
        } else {
            Err(WorkerError::NoSuchAccount(access_key_id.to_string()))
        }
    })
}

/// Clears all data; accounts go back to their configured balances.
pub fn reset(svc: &Service) -> Result<(), WorkerError> {
    svc.store.write(|tx| tx.reset())?;
    svc.next_due.forget();
    Ok(())
}
